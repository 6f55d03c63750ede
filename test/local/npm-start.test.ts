/** `npm start` as a user runs it: a child process, its endpoints file, Ctrl-C. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/local-server';
import { LOCK_FILE } from '../../local/data-dir-lock';
import { spawnNpmStart, startNpmStart } from '../support/npm-start';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();

describe('npm start', () => {
  it('serves the API, writes endpoints.json, and stops cleanly on SIGINT', async () => {
    const dataDir = await tempDir('start');
    const { child, output, exited } = spawnNpmStart({ PORT: '0', DATA_DIR: dataDir });

    await expect.poll(output, { timeout: 15_000, interval: 50 }).toContain('Ctrl-C stops it.');
    const endpoints = JSON.parse(await readFile(path.join(dataDir, 'endpoints.json'), 'utf8'));

    expect(endpoints).toEqual({
      graphqlUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/),
      realtimeUrl: endpoints.graphqlUrl.replace('http://', 'ws://') + '/realtime',
      restUrl: endpoints.graphqlUrl.replace(/graphql$/, 'upload'),
      localTokenUrl: endpoints.graphqlUrl.replace(/graphql$/, 'local/token'),
      apiKey: expect.stringMatching(/^da2-[a-z0-9]{26}$/),
      caCertFile: path.join(dataDir, 'tls', 'ca.pem'),
      userPool: expect.objectContaining({ userPoolId: expect.any(String), clientId: expect.any(String) }),
      storage: {
        region: 'us-east-1',
        dynamodbEndpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        s3Endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        tableName: 'FileMetadata',
        bucketName: 'codecraft-files',
        credentials: { accessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/), secretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/) },
      },
    });
    // It holds the data directory's secret key: readable by its owner only.
    expect((await stat(path.join(dataDir, 'endpoints.json'))).mode & 0o777).toBe(0o600);
    expect(output()).toContain(endpoints.apiKey);
    expect(output()).toContain(endpoints.caCertFile);
    const listed = await postGraphQL(
      endpoints.graphqlUrl,
      { query: '{ filesByProject(projectID: "p") { items { fileID } } }' },
      { 'x-api-key': endpoints.apiKey },
    );
    expect(listed).toEqual({ status: 200, body: { data: { filesByProject: { items: [] } } } });

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(endpoints.graphqlUrl)).rejects.toThrow();
  }, 30_000);

  it('refuses a second server on the same data directory in one line naming the first (pid and port), touching nothing', async () => {
    const dataDir = await tempDir('start-twice');
    const first = await startNpmStart(dataDir);
    try {
      const second = spawnNpmStart({ PORT: '0', DATA_DIR: dataDir });
      expect(await second.exited).toBe(1);
      const port = new URL(first.endpoints.graphqlUrl).port;
      expect(second.output().trim()).toBe(
        `The local API could not start: the data directory ${dataDir} is in use by another running server (pid ${first.child.pid}, port ${port}); ` +
          'stop it, or run a second server on another data directory: DATA_DIR=<another folder> npm start',
      );
      const listed = await postGraphQL(
        first.endpoints.graphqlUrl,
        { query: '{ filesByProject(projectID: "p") { items { fileID } } }' },
        { 'x-api-key': first.endpoints.apiKey },
      );
      expect(listed.status).toBe(200);
      expect(JSON.parse(await readFile(path.join(dataDir, 'endpoints.json'), 'utf8'))).toEqual(first.endpoints);
    } finally {
      first.child.kill('SIGINT');
      await first.exited;
    }
    // A note left by a server that is gone (killed) is taken over.
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 1, port: 1 }));
    const third = await startNpmStart(dataDir);
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
  }, 60_000);
});
