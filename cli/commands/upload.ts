/**
 * `files upload <path…> --project P [--type T]`: each file in turn, its parts in
 * parallel. Every path is checked before the first byte is sent, so a typo in
 * the third name does not leave the first two uploaded and the command failed.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { FILE_TYPE_PATTERN, MAX_PART_BYTES, MAX_PARTS, MIN_PART_BYTES } from '../../functions/core/limits';
import { isMultipart, partCount } from '../../functions/core/parts';
import { connect, type ConnectionOptions, type Context } from '../context';
import { CliError, UsageError } from '../errors';
import { formatBytes, formatSeconds } from '../format';
import { reporterFor } from '../progress';
import { uploadFile, type LocalFile } from '../upload';

export interface UploadOptions extends ConnectionOptions {
  project: string;
  type?: string;
  /** MiB. */
  partSize?: number;
  concurrency: number;
}

const MiB = 1024 * 1024;

export const parsePartSize = (value: string): number => {
  const mib = Number(value);
  if (!Number.isInteger(mib) || mib * MiB < MIN_PART_BYTES || mib * MiB > MAX_PART_BYTES) {
    throw new InvalidArgumentError(`a whole number of MiB from ${MIN_PART_BYTES / MiB} to ${MAX_PART_BYTES / MiB}.`);
  }
  return mib;
};

export const parseConcurrency = (value: string): number => {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 32) throw new InvalidArgumentError('a whole number from 1 to 32.');
  return count;
};

/** Without --type: the extension ("pdf", "mp4"), the API's category by convention, or "file". */
function typeOf(name: string): string {
  const extension = path.extname(name).slice(1).toLowerCase();
  return FILE_TYPE_PATTERN.test(extension) ? extension : 'file';
}

async function localFile(given: string, cwd: string): Promise<LocalFile> {
  const absolutePath = path.resolve(cwd, given);
  const facts = await stat(absolutePath).catch((error: NodeJS.ErrnoException) => {
    throw new CliError('NoSuchFile', `Cannot upload ${given}: ${error.code === 'ENOENT' ? 'no such file' : error.code}.`);
  });
  if (!facts.isFile()) throw new CliError('NotAFile', `Cannot upload ${given}: it is not a regular file.`);
  return { path: given, absolutePath, name: path.basename(absolutePath), size: facts.size, mtimeMs: facts.mtimeMs };
}

export async function uploadCommand(paths: string[], options: UploadOptions, context: Context): Promise<void> {
  const files = [];
  for (const given of paths) files.push(await localFile(given, context.cwd));
  const partSize = options.partSize === undefined ? undefined : options.partSize * MiB;
  for (const file of files) {
    if (partSize && isMultipart(file.size) && partCount(file.size, partSize) > MAX_PARTS) {
      throw new UsageError(
        `--part-size ${options.partSize} splits ${file.path} into more than ${MAX_PARTS.toLocaleString('en-US')} parts: choose a larger one, or omit it.`,
      );
    }
  }
  const { api, target } = await connect(options, context);
  const reporter = reporterFor(context.stdout);
  try {
    for (const file of files) {
      const outcome = await uploadFile(
        api,
        file,
        { projectID: options.project, fileType: options.type ?? typeOf(file.name), partSize, concurrency: options.concurrency, ca: target.ca },
        reporter,
        context.signal,
      );
      if (outcome.kind === 'already') {
        reporter.line(`${file.name}: already uploaded, it is file ${outcome.fileID}`);
        continue;
      }
      const { file: stored, seconds, sentBytes, sentParts, resumedParts, parts } = outcome;
      const partsNote = isMultipart(stored.size) ? `; ${parts} parts: ${sentParts} sent, ${resumedParts} resumed` : '';
      reporter.line(
        `${file.name}: uploaded as file ${stored.fileID} (${formatBytes(stored.size)}, ${formatBytes(sentBytes)} sent in ${formatSeconds(seconds)}${partsNote})`,
      );
    }
  } finally {
    // The bars go first, so whatever follows (a summary, an error, Ctrl-C's message) is not drawn over.
    reporter.stop();
  }
}
