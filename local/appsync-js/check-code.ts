/**
 * What AppSync's CreateResolver/CreateFunction do before accepting code:
 * refuse what the APPSYNC_JS runtime does not support, naming the rule and
 * the line. The rules are AppSync's own ESLint plugin (those that need no
 * TypeScript program; `npm run lint` applies the rest to the same bundles).
 */
import { Linter } from 'eslint';
import { syntaxRules } from './appsync-js-rules.js';

const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [{ files: ['**/*.js'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' }, ...syntaxRules }];

/** esbuild heads each bundled module with a `// <path>` comment: the source file a bundle line came from. */
function sourceFileNote(bundleLines: string[], line: number): string {
  for (let i = line - 1; i >= 0; i -= 1) {
    const origin = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(bundleLines[i]);
    if (origin) return ` (in ${origin[1]})`;
  }
  return '';
}

export class UnsupportedCodeError extends Error {}

/** Throws UnsupportedCodeError listing every construct of `source` that AppSync would refuse. */
export function checkAppsyncCode(source: string, bundlePath: string): void {
  // A name under the working directory for the config to match; the messages name the real file.
  const problems = linter.verify(source, config, { filename: 'bundle.js' });
  if (!problems.length) return;
  const bundleLines = source.split('\n');
  const lines = problems.map((p) => `  ${bundlePath}:${p.line}:${p.column} ${p.ruleId ?? 'syntax'}: ${p.message}${sourceFileNote(bundleLines, p.line)}`);
  throw new UnsupportedCodeError(`AppSync would refuse this code (the APPSYNC_JS runtime does not support it):\n${lines.join('\n')}`);
}
