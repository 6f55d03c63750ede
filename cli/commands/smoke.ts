/**
 * `files smoke` (`npm run smoke`): proves a deployment works end to end, one
 * line per step with its time, stopping at the first failure (exit 1). The
 * same command checks the local server (`npm test` runs it against `npm
 * start`) and a deployed stack (after `cdk deploy --outputs-file
 * cdk-outputs.json`). Its files go to a project of its own and are deleted at
 * the end, on failure too.
 */
import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { AuthOptions } from '../auth';
import { connectTo, type ConnectionOptions, type Context } from '../context';
import { UsageError } from '../errors';
import { formatBytes } from '../format';
import { deleteFile, expectDownload, expectListed, expectNotListed, uploadInline, uploadLarge, uploadRest, type SentFile } from '../smoke/checks';
import { watchProject } from '../smoke/events';
import { stepLog } from '../smoke/steps';
import { resolveTarget, type Target } from '../target';

export interface SmokeOptions extends ConnectionOptions {
  project?: string;
  largeMib: number;
}

export const parseLargeMib = (value: string): number => {
  const mib = Number(value);
  // Over 32 MiB: the multipart path, the one large files take.
  if (!Number.isInteger(mib) || mib < 33 || mib > 1024) throw new InvalidArgumentError('a whole number of MiB from 33 (just over the one-PUT limit) to 1024.');
  return mib;
};

const OUTPUTS_FILE = 'cdk-outputs.json';

/** The target the options name; else ./cdk-outputs.json when there is one (a deployed stack); else the local server. */
async function chooseTarget(options: SmokeOptions, context: Context): Promise<Target> {
  const named = options.endpoints ?? options.outputs ?? options.url;
  const outputs = path.resolve(context.cwd, OUTPUTS_FILE);
  const deployed =
    named === undefined &&
    (await access(outputs).then(
      () => true,
      () => false,
    ));
  return resolveTarget(deployed ? { ...options, outputs } : options, context.env, context.cwd, context.repoRoot);
}

/** As whom: as told; on the local server, by default a user of the smoke project only (a token from the server, as a Cognito user's would be). */
function whom(options: SmokeOptions, target: Target, projectID: string, env: NodeJS.ProcessEnv): AuthOptions {
  if (options.user !== undefined || options.apiKey !== undefined || env.FILES_API_KEY !== undefined) return options;
  if (target.localTokenUrl) return { user: 'smoke', groups: [`project-${projectID}`] };
  throw new UsageError(
    `A deployed stack's smoke test signs in as a Cognito user: --user NAME (password from FILES_PASSWORD or a prompt), in group admins or in project-P with --project P. ` +
      'Or an API key in FILES_API_KEY (POST /upload is then skipped: it takes user-pool tokens only).',
  );
}

export async function smokeCommand(options: SmokeOptions, context: Context): Promise<void> {
  const { signal } = context;
  const projectID = options.project ?? `smoke-${randomUUID().slice(0, 8)}`;
  const target = await chooseTarget(options, context);
  const authOptions = whom(options, target, projectID, context.env);
  const log = stepLog(context.stdout);
  context.stdout.write(`Smoke test of ${target.graphqlUrl} (${target.source}), project ${projectID}\n`);

  const connection = await log.step(
    'sign in',
    () => connectTo(target, authOptions, context),
    (c) => c.auth.describe,
  );
  const events = await log.step(
    'subscribe',
    () => watchProject(connection, projectID, signal),
    () => `onFileUploaded and onFileDeleted of project ${projectID}`,
  );
  const stored: SentFile[] = [];
  // Every file the API stored, checked or not: what the run must leave deleted.
  const created = new Set<string>();
  const record = (fileID: string) => created.add(fileID);
  const deleted = new Set<string>();
  try {
    const inline = await log.step(
      'upload inline',
      () => uploadInline(connection, projectID, signal, record),
      (f) => `uploadFile, ${formatBytes(f.size)}`,
    );
    stored.push(inline);
    const large = await log.step(
      'upload large',
      () => uploadLarge(connection, projectID, options.largeMib, signal, record),
      (f) => `createUploadUrl, ${f.parts} presigned parts, completeUpload, ${formatBytes(f.size)}`,
    );
    stored.push(large);
    await log.step(
      'list',
      () => expectListed(connection, projectID, [inline, large], signal),
      (count) => `filesByProject lists both (${count} files)`,
    );
    await log.step(
      'subscription events',
      () => Promise.all([inline, large].map((f) => events.waitFor('uploaded', f.fileID))),
      () => 'onFileUploaded for both',
    );
    if (!target.restUrl) {
      log.skip('POST /upload', `${target.source} names no REST endpoint (RestUrl)`);
    } else if (!connection.auth.token) {
      log.skip('POST /upload', 'it takes user-pool tokens only: run with --user');
    } else {
      await log.step(
        'POST /upload',
        async () => {
          const rest = await uploadRest(connection, projectID, signal, record);
          stored.push(rest);
          await events.waitFor('uploaded', rest.fileID);
          return rest;
        },
        (f) => `legacy payload, ${formatBytes(f.size)}, 200 and its onFileUploaded event`,
      );
    }
    await log.step(
      'download and compare',
      async () => {
        for (const file of stored) await expectDownload(connection, file, signal);
      },
      () => `${stored.length} files, bytes identical (sha256)`,
    );
    await log.step(
      'delete',
      async () => {
        for (const file of stored) {
          await deleteFile(connection, file, signal);
          deleted.add(file.fileID);
          await events.waitFor('deleted', file.fileID);
        }
        await expectNotListed(connection, projectID, stored, signal);
      },
      () => `${stored.length} files, onFileDeleted for each, no longer listed`,
    );
    log.passed();
  } finally {
    // A failed or interrupted run leaves nothing behind either (best effort: the failure is what gets reported). Not
    // on the run's own signal, which an interrupt has already aborted.
    const cleanup = AbortSignal.timeout(30_000);
    for (const fileID of created) if (!deleted.has(fileID)) await deleteFile(connection, { fileID }, cleanup).catch(() => {});
    await events.close();
  }
}
