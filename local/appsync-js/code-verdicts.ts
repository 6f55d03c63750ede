/**
 * The APPSYNC_JS check's verdicts, kept by each bundle's content hash. The build
 * checks the bundles it writes, all in one TypeScript program, and records the
 * verdicts next to them; the loader takes a bundle's verdict from that record, and
 * checks a bundle the record does not know (edited after the build, or built
 * elsewhere) itself, once per process. So a restart loads no TypeScript, and a
 * bundle changed by hand is checked, as AppSync checks every code update.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findUnsupportedCode, refuseUnsupported, type CodeProblem } from './check-code';

/** Content hash → what AppSync would refuse in that code (nothing: accepted). */
type Verdicts = Record<string, CodeProblem[]>;

const hashOf = (source: string) => createHash('sha256').update(source).digest('hex');

/**
 * The build's check: records the verdict of each bundle at `recordPath`, then throws
 * UnsupportedCodeError naming every rule a bundle breaks, if any does.
 */
export async function checkBuiltBundles(bundlePaths: string[], recordPath: string): Promise<void> {
  const sources = await Promise.all(bundlePaths.map((file) => readFile(file, 'utf8')));
  const problems = await findUnsupportedCode(sources, path.dirname(recordPath));
  const verdicts: Verdicts = Object.fromEntries(sources.map((source, i) => [hashOf(source), problems[i]]));
  await writeFile(recordPath, `${JSON.stringify(verdicts, null, 2)}\n`);
  refuseUnsupported(new Map(bundlePaths.map((file, i) => [file, problems[i]])));
}

async function recordedVerdicts(recordPath: string): Promise<Verdicts> {
  try {
    return JSON.parse(await readFile(recordPath, 'utf8')) as Verdicts;
  } catch {
    // No record (a fresh clone, a bundle built by a test) or an unreadable one: every bundle is checked here.
    return {};
  }
}

const checkedHere = new Map<string, Promise<CodeProblem[]>>();

/** The loader's check: throws UnsupportedCodeError if `source`, read from `bundlePath`, breaks a rule. */
export async function refuseUnsupportedBundle(source: string, bundlePath: string, recordPath: string): Promise<void> {
  const hash = hashOf(source);
  let problems = (await recordedVerdicts(recordPath))[hash];
  if (!problems) {
    if (!checkedHere.has(hash))
      checkedHere.set(
        hash,
        findUnsupportedCode([source], path.dirname(recordPath)).then(([found]) => found),
      );
    problems = await checkedHere.get(hash)!;
  }
  refuseUnsupported(new Map([[bundlePath, problems]]));
}
