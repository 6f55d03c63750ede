/**
 * What AppSync's CreateResolver/CreateFunction do before accepting code:
 * refuse what the APPSYNC_JS runtime does not support, naming the rule and
 * the line. The rules are AppSync's own ESLint plugin, its whole recommended
 * set: the type-aware ones (recursion, function passing/returning/re-assigning,
 * denied methods) need a TypeScript program, built here over the bundles alone.
 */
import { Linter } from 'eslint';
import path from 'node:path';
import type * as TypeScript from 'typescript';
import { allRules } from './appsync-js-rules.js';

/** One construct AppSync would refuse, at a line of a bundle. */
export interface CodeProblem {
  line: number;
  column: number;
  rule: string;
  message: string;
  /** The source file the bundle line came from, when esbuild named it. */
  origin?: string;
}

// The CommonJS packages come as `default` from Node's import and as the namespace itself through tsx.
const commonJs = <T>(module: T & { default?: T }): T => module.default ?? module;

/** TypeScript, its ESLint parser and the rules: over a second of loading, paid only by a process that checks code. */
async function loadTools() {
  const [ts, parser, rules] = await Promise.all([import('typescript').then(commonJs), import('@typescript-eslint/parser').then(commonJs), allRules()]);
  const options: TypeScript.CompilerOptions = {
    allowJs: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  // The standard library and @aws-appsync/utils' types, parsed (and bound, by the first checker) once per process.
  const declarations = new Map<string, TypeScript.SourceFile | undefined>();
  const declaration: TypeScript.CompilerHost['getSourceFile'] = (file, version) => {
    if (!declarations.has(file)) declarations.set(file, host.getSourceFile(file, version));
    return declarations.get(file);
  };
  /** A program holding `bundles` (file name → text) as they are in memory: what is checked is what runs. */
  const program = (bundles: Map<string, string>) =>
    ts.createProgram([...bundles.keys()], options, {
      ...host,
      fileExists: (file) => bundles.has(file) || host.fileExists(file),
      readFile: (file) => bundles.get(file) ?? host.readFile(file),
      getSourceFile: (file, version) => {
        const text = bundles.get(file);
        return text === undefined ? declaration(file, version) : ts.createSourceFile(file, text, version, true);
      },
    });
  return { parser, rules, program };
}
let tools: ReturnType<typeof loadTools> | undefined;

/** esbuild heads each bundled module with a `// <path>` comment: the source file a bundle line came from. */
function originOf(bundleLines: string[], line: number): string | undefined {
  for (let i = line - 1; i >= 0; i -= 1) {
    const origin = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(bundleLines[i]);
    if (origin) return origin[1];
  }
  return undefined;
}

/**
 * Every construct of each bundle that AppSync would refuse, checked in one program.
 * The bundles are placed, in memory, in `dir` (dist/resolvers/, say): `@aws-appsync/utils`'
 * types resolve from its node_modules, as they do for the real bundles.
 */
export async function findUnsupportedCode(sources: string[], dir: string): Promise<CodeProblem[][]> {
  const { parser, rules, program } = await (tools ??= loadTools());
  const bundles = new Map(sources.map((source, i) => [path.join(dir, `.appsync-check-${i}.js`), source]));
  const config: Linter.Config[] = [{ files: ['**/*.js'], languageOptions: { parser, parserOptions: { programs: [program(bundles)] } }, ...rules }];
  const linter = new Linter({ configType: 'flat', cwd: dir });
  return [...bundles].map(([file, source]) => {
    const lines = source.split('\n');
    return linter
      .verify(source, config, { filename: file })
      .map((p) => ({ line: p.line, column: p.column, rule: p.ruleId ?? 'syntax', message: p.message, origin: originOf(lines, p.line) }));
  });
}

export class UnsupportedCodeError extends Error {}

/** Throws UnsupportedCodeError naming each problem of each bundle (path → its problems), if there is any. */
export function refuseUnsupported(problemsByBundle: Map<string, CodeProblem[]>): void {
  const lines = [...problemsByBundle].flatMap(([bundlePath, problems]) =>
    problems.map((p) => `  ${bundlePath}:${p.line}:${p.column} ${p.rule}: ${p.message}${p.origin ? ` (in ${p.origin})` : ''}`),
  );
  if (lines.length) throw new UnsupportedCodeError(`AppSync would refuse this code (the APPSYNC_JS runtime does not support it):\n${lines.join('\n')}`);
}
