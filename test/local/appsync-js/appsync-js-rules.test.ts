import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineFunctions, resolverCodeName, resolvers } from '../../../infra/api-definition';
import { bundleAppsyncCode, bundlePaths, projectRoot } from '../../../infra/bundle';
import { checkBuiltBundles, refuseUnsupportedBundle } from '../../../local/appsync-js/code-verdicts';
import { DENIED_METHODS } from '../../../local/appsync-js/denied-methods';
import { loadResolverCode } from '../../../local/appsync-js/load-code';
import { useTempDirs } from '../../support/temp-dirs';

const tempDir = useTempDirs();

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
  const dir = await tempDir('appsync-rules');
  for (const [name, source] of Object.entries(files)) await writeFile(path.join(dir, name), source);
  await bundleAppsyncCode(path.join(dir, entry), outfile);
  return outfile;
}

const tempBundle = async (files: Record<string, string>, entry: string) => bundled(files, entry, path.join(await tempDir('appsync-out'), 'code.js'));

/** `rule` at the bundle line holding `text`. */
const problemAt = (bundle: string, rule: string, text: string) => {
  const line = bundle.split('\n').findIndex((l) => l.includes(text)) + 1;
  return expect.stringMatching(new RegExp(`code\\.js:${line}:\\d+ ${rule.replace('/', '\\/')}:`));
};

describe('APPSYNC_JS language rules', () => {
  it('the local loader refuses a bundle that breaks them, naming each rule and line, whatever file the code came from', async () => {
    const file = await tempBundle({ 'helper.ts': helper, 'code.ts': resolver }, 'code.ts');
    const bundle = await readFile(file, 'utf8');

    const refusal = await loadResolverCode(file).then(
      () => '',
      (error: Error) => error.message,
    );

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
    const file = await tempBundle(
      { 'code.ts': 'export async function request(ctx: any) { return {}; }\nexport function response(ctx: any) { return 1; }\n' },
      'code.ts',
    );

    await expect(loadResolverCode(file)).rejects.toThrow(/code\.js:\d+:\d+ @aws-appsync\/no-async: Async functions are not supported\. \(in .*code\.ts\)/);
  });

  it('refuses Promise statics, RegExp built from a string and getters at load, which the plugin lets through', async () => {
    const file = await tempBundle(
      {
        'code.ts':
          'export function request(ctx: any) { return { payload: RegExp(ctx.args.p).test("x") && new RegExp("y"), get size() { return 1; } }; }\nexport function response(ctx: any) { return Promise.resolve(5); }\n',
      },
      'code.ts',
    );
    const bundle = await readFile(file, 'utf8');

    const refusal = await loadResolverCode(file).then(
      () => '',
      (error: Error) => error.message,
    );

    expect(refusal.split('\n')).toEqual(
      expect.arrayContaining([
        problemAt(bundle, 'no-restricted-syntax', 'RegExp(ctx'),
        problemAt(bundle, 'no-restricted-syntax', 'Promise.resolve'),
        problemAt(bundle, 'no-restricted-syntax', 'get size'),
      ]),
    );
    expect(refusal.match(/no-restricted-syntax/g)).toHaveLength(4);
  });

  it.each([
    ['eval', 'eval("1 + 1")'],
    ['Function', 'Function("return 1")()'],
    ["a function's constructor", '(() => 0).constructor("return 1")()'],
  ])('does not generate code from strings (%s), as APPSYNC_JS has no eval', async (_case, expression) => {
    const code = await loadResolverCode(
      await tempBundle(
        { 'code.ts': `export function request(ctx: any) { return { payload: ${expression} }; }\nexport function response(ctx: any) { return ctx.result; }\n` },
        'code.ts',
      ),
    );

    expect(() => code.request({})).toThrow(/Code generation from strings disallowed/);
  });

  it.each([
    [
      '@aws-appsync/no-recursion',
      'recursion',
      'const depth = (n: number): number => (n > 0 ? depth(n - 1) : 0);\nexport function request(ctx: any) { return { payload: depth(3) }; }',
      'depth(n - 1)',
    ],
    [
      '@aws-appsync/no-function-passing',
      'a function passed as an argument',
      'const twice = (f: () => number) => f() + f();\nexport function request(ctx: any) { return { payload: twice(() => 1) }; }',
      'twice(() => 1)',
    ],
    ['@aws-appsync/no-disallowed-methods', "'x'.padStart(3)", "export function request(ctx: any) { return { payload: 'x'.padStart(3) }; }", 'padStart'],
  ])('the local loader refuses %s (%s), a rule that needs types, naming it, the line and the source file', async (rule, _case, code, text) => {
    const file = await tempBundle({ 'code.ts': `${code}\nexport function response(ctx: any) { return ctx.result; }\n` }, 'code.ts');
    const bundle = await readFile(file, 'utf8');

    const refusal = await loadResolverCode(file).then(
      () => '',
      (error: Error) => error.message,
    );

    expect(refusal.split('\n')).toEqual(expect.arrayContaining([problemAt(bundle, rule, text)]));
    expect(refusal).toMatch(new RegExp(`${rule}: .*\\(in .*code\\.ts\\)`));
  });

  // Calls whose receiver has no type (JSON.parse gives `any`): the rule cannot see them, the sandbox fails them.
  it.each([
    ['String.prototype.padStart', "'x'", 'padStart(3)'],
    ['Array.from', 'Array', 'from("ab")'],
    ['Array.prototype.keys', '[1]', 'keys()'],
    ['Object.freeze', 'Object', 'freeze({})'],
    ['Date.prototype.setTime', 'new Date(0)', 'setTime(1)'],
  ])('a call of %s that no type shows, which APPSYNC_JS does not implement, fails naming it', async (name, value, call) => {
    const source = `export function request(ctx: any) { const box = JSON.parse('{}'); box.value = ${value}; return { payload: box.value.${call} }; }\nexport function response(ctx: any) { return ctx.result; }\n`;
    const code = await loadResolverCode(await tempBundle({ 'code.ts': source }, 'code.ts'));

    expect(() => code.request({})).toThrow(`${name}() is not supported by APPSYNC_JS`);
  });

  it("a denied method called at the bundle's top level fails the load", async () => {
    const source = `const box = JSON.parse('{}');\nbox.value = 'x';\nconst padded = box.value.padStart(3);\nexport function request(ctx: any) { return { payload: padded }; }\nexport function response(ctx: any) { return ctx.result; }\n`;

    await expect(loadResolverCode(await tempBundle({ 'code.ts': source }, 'code.ts'))).rejects.toThrow(
      /code\.js failed in its top-level code: String\.prototype\.padStart\(\) is not supported by APPSYNC_JS/,
    );
  });

  it('refuses code that is not an ES module (it would run with the denied methods allowed)', async () => {
    const file = path.join(await tempDir('appsync-out'), 'code.js');
    await writeFile(file, `exports.request = (ctx) => ({ payload: JSON.parse('{"s":"x"}').s.padStart(3) });\nexports.response = (ctx) => ctx.result;\n`);

    await expect(loadResolverCode(file)).rejects.toThrow('code.js is not an ES module');
  });
});

describe('verdicts recorded by the build', () => {
  const hashOf = (source: string) => createHash('sha256').update(source).digest('hex');
  const fine = 'export function request(ctx: any) { return {}; }\nexport function response(ctx: any) { return ctx.result; }\n';

  it('the build records, by content hash, that every bundle in dist/resolvers passed', async () => {
    const verdicts = JSON.parse(await readFile(bundlePaths.appsyncVerdicts, 'utf8')) as Record<string, unknown[]>;
    const bundles = [...resolvers.map((r) => bundlePaths.resolver(resolverCodeName(r))), ...Object.keys(pipelineFunctions).map(bundlePaths.pipelineFunction)];

    for (const bundle of bundles) expect(verdicts[hashOf(await readFile(bundle, 'utf8'))], bundle).toEqual([]);
  });

  it("the build's check records each bundle's verdict and refuses, naming the rule, a bundle that breaks one", async () => {
    const good = await tempBundle({ 'code.ts': fine }, 'code.ts');
    const bad = await tempBundle({ 'code.ts': `const f = (n: number): number => (n ? f(n - 1) : 0);\n${fine.replace('{}', '{ payload: f(2) }')}` }, 'code.ts');
    const record = path.join(path.dirname(good), 'verdicts.json');

    await expect(checkBuiltBundles([good, bad], record)).rejects.toThrow(
      new RegExp(`^AppSync would refuse this code .*\\n  ${bad}:\\d+:\\d+ @aws-appsync/no-recursion: `, 's'),
    );

    const verdicts = JSON.parse(await readFile(record, 'utf8')) as Record<string, { rule: string }[]>;
    expect(verdicts[hashOf(await readFile(good, 'utf8'))]).toEqual([]);
    expect(verdicts[hashOf(await readFile(bad, 'utf8'))].map((p) => p.rule)).toContain('@aws-appsync/no-recursion');
  });

  it('the loader takes a recorded verdict as it is, and checks a bundle whose content the record does not hold (edited after the build)', async () => {
    const file = await tempBundle({ 'code.ts': fine }, 'code.ts');
    const built = await readFile(file, 'utf8');
    const record = path.join(path.dirname(file), 'verdicts.json');
    await writeFile(record, JSON.stringify({ [hashOf(built)]: [{ line: 1, column: 1, rule: 'recorded-rule', message: 'as recorded' }] }));

    await expect(refuseUnsupportedBundle(built, file, record)).rejects.toThrow(`${file}:1:1 recorded-rule: as recorded`);
    const edited = `${built}\nfunction again(n) { return n ? again(n - 1) : 0; }\nagain(1);\n`;
    await expect(refuseUnsupportedBundle(edited, file, record)).rejects.toThrow(/@aws-appsync\/no-recursion/);
  });
});

describe('the rule sets', () => {
  it("the sandbox denies exactly the plugin's DENIED_METHODS", async () => {
    const rule = await readFile(path.join(projectRoot, 'node_modules/@aws-appsync/eslint-plugin/lib/rules/no-disallowed-methods.js'), 'utf8');
    const listed = /const DENIED_METHODS = \[([^\]]*)\]/.exec(rule)?.[1] ?? '';

    expect(DENIED_METHODS).toEqual([...listed.matchAll(/'([\w.]+)'/g)].map((match) => match[1]));
  });
});
