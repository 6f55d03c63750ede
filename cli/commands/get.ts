/**
 * `files get <fileID> [-o path]`: streams File.downloadUrl to a temporary file
 * next to the destination, hashing as it goes, and renames it into place only
 * when size and SHA-256 match what the API recorded. A failed or interrupted
 * download never leaves a partial file under the real name.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileDocument } from '../../generated/operations';
import { actualChecksum, expectedChecksum, StreamDigest } from '../checksums';
import { connect, type ConnectionOptions, type Context } from '../context';
import { CliError, Interrupted, isAbort } from '../errors';
import { formatBytes } from '../format';
import { networkError, readText, send } from '../http';
import { reporterFor } from '../progress';
import { storageError } from '../storage-put';

export interface GetOptions extends ConnectionOptions {
  output?: string;
  /** Replace an existing file at the destination. */
  force?: boolean;
}

/** The stored name, reduced to one safe path segment (it is the uploader's text, not ours). */
function localName(fileName: string, fileID: string): string {
  const name = path.basename(fileName.replaceAll('\\', '/'));
  return name && name !== '.' && name !== '..' ? name : fileID;
}

/** -o names a file, or a directory to put the file in; without it, the current directory. */
async function destinationOf(output: string | undefined, name: string, cwd: string): Promise<string> {
  if (output === undefined) return path.resolve(cwd, name);
  const target = path.resolve(cwd, output);
  const facts = await stat(target).catch(() => undefined);
  return facts?.isDirectory() || output.endsWith('/') ? path.join(target, name) : target;
}

export async function getCommand(fileID: string, options: GetOptions, context: Context): Promise<void> {
  const { api, target } = await connect(options, context);
  const { file } = await api(FileDocument, { fileID }, context.signal);
  if (!file?.downloadUrl) throw new CliError('NotFound', `No file has fileID ${fileID}: it may have been deleted.`);
  const destination = await destinationOf(options.output, localName(file.fileName, file.fileID), context.cwd);
  // The name comes from the uploader (".bashrc", "Makefile"): an existing file is replaced only when asked to.
  if (
    !options.force &&
    (await stat(destination).then(
      () => true,
      () => false,
    ))
  ) {
    throw new CliError('FileExists', `${destination} exists already: pass --force to replace it, or -o to save elsewhere.`);
  }
  const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.${randomBytes(4).toString('hex')}.part`);
  const expected = expectedChecksum(file);
  const digest = new StreamDigest(expected?.kind === 'composite' ? expected.partSize : undefined);
  const reporter = reporterFor(context.stdout);
  const tracker = reporter.track(file.fileName, file.size);
  let received = 0;
  try {
    const response = await send(file.downloadUrl, { method: 'GET', signal: context.signal, ca: target.ca }).catch((error) => {
      throw context.signal.aborted ? error : networkError(file.downloadUrl!, error);
    });
    if (response.statusCode !== 200) throw storageError(response.statusCode, await readText(response), `the download of ${file.fileName}`);
    tracker.phase('downloading');
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        digest.update(chunk);
        received += chunk.length;
        tracker.advance(chunk.length);
        done(null, chunk);
      },
    });
    await pipeline(response, count, createWriteStream(temporary, { flags: 'wx' }), { signal: context.signal });
    tracker.end();
    if (received !== file.size)
      throw new CliError('SizeMismatch', `Received ${received} bytes of ${file.fileName}; the API recorded ${file.size}. Nothing was saved.`);
    const actual = expected && actualChecksum(expected, digest);
    if (expected && actual !== expected.sha256) {
      throw new CliError(
        'ChecksumMismatch',
        `The bytes received for ${file.fileName} have sha256 ${actual}; the API recorded ${expected.sha256}. Nothing was saved.`,
      );
    }
    if (options.force) await rename(temporary, destination);
    else await placeNew(temporary, destination);
    reporter.stop();
    const check = expected ? `sha256 ${expected.kind === 'composite' ? '(composite of parts) ' : ''}verified` : 'no checksum to verify';
    const relative = path.relative(context.cwd, destination);
    const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : destination;
    context.stdout.write(`saved ${shown} (${formatBytes(file.size)}, ${check})\n`);
  } catch (error) {
    reporter.stop();
    await unlink(temporary).catch(() => {});
    if (isAbort(error, context.signal)) throw new Interrupted('Interrupted: nothing was saved.');
    throw error;
  }
}

/** Moves the finished download into place unless a file appeared there meanwhile (a link fails on an existing name; a rename would replace it). */
async function placeNew(temporary: string, destination: string): Promise<void> {
  try {
    await link(temporary, destination);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new CliError('FileExists', `${destination} exists already: pass --force to replace it, or -o to save elsewhere.`);
    throw error;
  }
  await unlink(temporary);
}
