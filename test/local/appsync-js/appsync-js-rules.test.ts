import { ESLint } from 'eslint';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleAppsyncCode, bundlePaths, projectRoot } from '../../../infra/bundle';
import { syntaxRules } from '../../../local/appsync-js/appsync-js-rules.js';
import { DENIED_METHODS } from '../../../local/appsync-js/denied-methods';
import { loadResolverCode } from '../../../local/appsync-js/load-code';

// A helper outside resolvers/ (as infra/api-definition.ts is), using what APPSYNC_JS refuses: the bundle carries it.
const helper = `export function tally(items: string[]) {
  let n = 0;
  for (let i = 0; i < items.length; i++) n += 1;
  while (n > 100) n = n / 2;
  try { JSON.parse(items[0]); } catch { n = ~n; }
  if ('length' in items && items instanceof Array && /x/.test(items[0])) throw new Error('no');
  return new Counter(n);
}
class Counter { constructor(readonly n: number) {} }
`;
const resolver = `import { tally } from './helper';
export function request(ctx: any) { return { payload: tally(ctx.args.items) }; }
export function response(ctx: any) { return ctx.result; }
`;

async function bundled(files: Record<string, string>, entry: string, outfile: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'appsync-rules-'));
  for (const [name, source] of Object.entries(files)) await writeFile(path.join(dir, name), source);
  await bundleAppsyncCode(path.join(dir, entry), outfile);
  return outfile;
}

const tempBundle = async (files: Record<string, string>, entry: string) => bundled(files, entry, path.join(await mkdtemp(path.join(os.tmpdir(), 'appsync-out-')), 'code.js'));

/** `rule` at the bundle line holding `text`. */
const problemAt = (bundle: string, rule: string, text: string) => {
  const line = bundle.split('\n').findIndex((l) => l.includes(text)) + 1;
  return expect.stringMatching(new RegExp(`code\\.js:${line}:\\d+ ${rule.replace('/', '\\/')}:`));
};

describe('APPSYNC_JS language rules', () => {
  it('the local loader refuses a bundle that breaks them, naming each rule and line, whatever file the code came from', async () => {
    const file = await tempBundle({ 'helper.ts': helper, 'code.ts': resolver }, 'code.ts');
    const bundle = await readFile(file, 'utf8');

    const refusal = await loadResolverCode(file).then(() => '', (error: Error) => error.message);

    const lines = refusal.split('\n');
    expect(lines[0]).toBe('AppSync would refuse this code (the APPSYNC_JS runtime does not support it):');
    expect(lines).toEqual(
      expect.arrayContaining([
        problemAt(bundle, '@aws-appsync/no-for', 'for (let i'),
        problemAt(bundle, '@aws-appsync/no-disallowed-unary-operators', 'i++'),
        problemAt(bundle, '@aws-appsync/no-while', 'while (n'),
        problemAt(bundle, '@aws-appsync/no-try', 'try {'),
        problemAt(bundle, '@aws-appsync/no-in-operator', ' in items'),
        problemAt(bundle, '@aws-appsync/no-disallowed-binary-operators', 'instanceof'),
        problemAt(bundle, '@aws-appsync/no-regex', '/x/'),
        problemAt(bundle, 'no-restricted-syntax', 'throw new Error'),
        problemAt(bundle, 'no-restricted-syntax', '= class {'),
        problemAt(bundle, '@aws-appsync/no-disallowed-unary-operators', 'n = ~n'),
      ]),
    );
  });

  it('refuses an async handler instead of resolving the field to null', async () => {
    const file = await tempBundle({ 'code.ts': 'export async function request(ctx: any) { return {}; }\nexport function response(ctx: any) { return 1; }\n' }, 'code.ts');

    await expect(loadResolverCode(file)).rejects.toThrow(/code\.js:\d+:\d+ @aws-appsync\/no-async: Async functions are not supported\. \(in .*code\.ts\)/);
  });

  it('refuses Promise statics, RegExp built from a string and getters at load, which the plugin lets through', async () => {
    const file = await tempBundle({ 'code.ts': 'export function request(ctx: any) { return { payload: RegExp(ctx.args.p).test("x") && new RegExp("y"), get size() { return 1; } }; }\nexport function response(ctx: any) { return Promise.resolve(5); }\n' }, 'code.ts');
    const bundle = await readFile(file, 'utf8');

    const refusal = await loadResolverCode(file).then(() => '', (error: Error) => error.message);

    expect(refusal.split('\n')).toEqual(
      expect.arrayContaining([problemAt(bundle, 'no-restricted-syntax', 'RegExp(ctx'), problemAt(bundle, 'no-restricted-syntax', 'Promise.resolve'), problemAt(bundle, 'no-restricted-syntax', 'get size')]),
    );
    expect(refusal.match(/no-restricted-syntax/g)).toHaveLength(4);
  });

  it.each([
    ['eval', 'eval("1 + 1")'],
    ['Function', 'Function("return 1")()'],
    ["a function's constructor", '(() => 0).constructor("return 1")()'],
  ])('does not generate code from strings (%s), as APPSYNC_JS has no eval', async (_case, expression) => {
    const code = await loadResolverCode(await tempBundle({ 'code.ts': `export function request(ctx: any) { return { payload: ${expression} }; }\nexport function response(ctx: any) { return ctx.result; }\n` }, 'code.ts'));

    expect(() => code.request({})).toThrow(/Code generation from strings disallowed/);
  });

  it.each([
    ['String.prototype.padStart', "'x'.padStart(3)"],
    ['Array.from', 'Array.from("ab")'],
    ['Array.prototype.keys', '[1].keys()'],
    ['Object.freeze', 'Object.freeze({})'],
    ['Date.prototype.setTime', 'new Date(0).setTime(1)'],
  ])('a call of %s, which APPSYNC_JS does not implement, fails naming it', async (name, expression) => {
    const code = await loadResolverCode(await tempBundle({ 'code.ts': `export function request(ctx: any) { return { payload: ${expression} }; }\nexport function response(ctx: any) { return ctx.result; }\n` }, 'code.ts'));

    expect(() => code.request({})).toThrow(`${name}() is not supported by APPSYNC_JS`);
  });

  it("a denied method called at the bundle's top level fails the load", async () => {
    const source = `const box = JSON.parse('{}');\nbox.value = 'x';\nconst padded = box.value.padStart(3);\nexport function request(ctx: any) { return { payload: padded }; }\nexport function response(ctx: any) { return ctx.result; }\n`;

    await expect(loadResolverCode(await tempBundle({ 'code.ts': source }, 'code.ts'))).rejects.toThrow(/code\.js failed in its top-level code: String\.prototype\.padStart\(\) is not supported by APPSYNC_JS/);
  });

  it('`npm run lint` applies every rule (the type-aware ones too) to the bundles in dist/resolvers', async () => {
    // A bundle among the built ones, as the lint step sees them (dist/ is built by the test set-up).
    const probe = path.join(path.dirname(bundlePaths.resolver('x')), `rules-probe-${process.pid}`, 'code.js');
    await mkdir(path.dirname(probe), { recursive: true });
    try {
      await bundled({ 'helper.ts': 'export const twice = (f: () => number) => f() + f();\n', 'code.ts': 'import { twice } from "./helper";\nexport function request(ctx: any) { return { payload: twice(() => 1) }; }\nexport function response(ctx: any) { return ctx.result; }\n' }, 'code.ts', probe);

      const [result] = await new ESLint({ cwd: projectRoot }).lintFiles([probe]);

      expect(result.messages.map((m) => m.ruleId)).toContain('@aws-appsync/no-function-passing');
    } finally {
      await rm(path.dirname(probe), { recursive: true, force: true });
    }
  });
});

describe('the rule sets', () => {
  it("the sandbox denies exactly the plugin's DENIED_METHODS", async () => {
    const rule = await readFile(path.join(projectRoot, 'node_modules/@aws-appsync/eslint-plugin/lib/rules/no-disallowed-methods.js'), 'utf8');
    const listed = /const DENIED_METHODS = \[([^\]]*)\]/.exec(rule)?.[1] ?? '';

    expect(DENIED_METHODS).toEqual([...listed.matchAll(/'([\w.]+)'/g)].map((match) => match[1]));
  });
  it("the loader's set is exactly the plugin's base set (the rules needing no types), plus the page's extras", async () => {
    const { default: appsync } = await import('@aws-appsync/eslint-plugin');
    const base = appsync.configs?.base as { rules: Record<string, unknown> };

    expect(Object.keys(syntaxRules.rules).sort()).toEqual([...Object.keys(base.rules), 'no-restricted-syntax'].sort());
  });
});
