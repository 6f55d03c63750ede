/** `npm start` as a user runs it: a child process, its endpoints file, Ctrl-C. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/local-server';
import { spawnNpmStart } from '../support/npm-start';
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
    const listed = await postGraphQL(endpoints.graphqlUrl, { query: '{ filesByProject(projectID: "p") { items { fileID } } }' }, { 'x-api-key': endpoints.apiKey });
    expect(listed).toEqual({ status: 200, body: { data: { filesByProject: { items: [] } } } });

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(endpoints.graphqlUrl)).rejects.toThrow();
  }, 30_000);
});
