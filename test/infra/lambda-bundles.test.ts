/**
 * The Lambda bundles as CDK deploys them: within their size budgets, signing
 * with the environment's credentials (the Lambda role's, session token
 * included) rather than the SDK's default chain, and traced back to the
 * TypeScript sources when they fail. Each bundle runs in a Node.js process of
 * its own, started as Lambda starts it (NODE_OPTIONS=--enable-source-maps).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lambdas } from '../../infra/api-definition';
import { bundlePaths } from '../../infra/bundle';
import { lambdaBundleBudgets, lambdaBundleSizes } from '../../infra/bundle-sizes';
import { withLiteralTraitKeys } from '../../infra/sdk-schema-keys';

/** Loads a bundle and calls its handler once with `event`; prints the answer on stdout; the bundle's own logs go to stderr. */
const INVOKE = `
const [bundle, event] = process.argv.slice(1);
const { handler } = await import(bundle);
const answer = await handler(JSON.parse(event), { awsRequestId: 'request-1', functionName: 'test', getRemainingTimeInMillis: () => 25_000 });
process.stdout.write(JSON.stringify(answer));
`;

async function invokeBundle(name: keyof typeof lambdas, event: unknown, env: Record<string, string>) {
  // Only what Lambda would set: nothing of this test process's environment (its credentials, endpoints) leaks in.
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', INVOKE, bundlePaths.lambda(name), JSON.stringify(event)],
    {
      env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      timeout: 15_000,
    },
  );
  return { answer: JSON.parse(stdout) as unknown, stderr };
}

describe('Lambda bundles', () => {
  it('every Lambda has a bundle, and each is within its budget', async () => {
    const sizes = await lambdaBundleSizes();
    expect(sizes.map((s) => s.name).sort()).toEqual(Object.keys(lambdas).sort());
    for (const { name, bytes } of sizes) {
      expect(bytes, `functions/${name}/index.mjs`).toBeLessThanOrEqual(lambdaBundleBudgets[name as keyof typeof lambdas]);
    }
  });

  it("sign with the Lambda role's credentials from the environment, session token included", async () => {
    // A stand-in for DynamoDB and S3 (AWS itself, mocked): it records what is signed and refuses it.
    const seen: IncomingHttpHeaders[] = [];
    const fake = createServer((request, response) => {
      seen.push(request.headers);
      request.resume();
      response
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
        .end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'refused by the test' }));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    try {
      const { answer } = await invokeBundle(
        'deleteFile',
        { arguments: { fileID: '01JABCDEFGHJKMNPQRSTVWXYZ0' } },
        {
          FILES_TABLE: 'files',
          FILES_BUCKET: 'bucket',
          AWS_REGION: 'eu-west-1',
          AWS_ENDPOINT_URL_DYNAMODB: endpoint,
          AWS_ENDPOINT_URL_S3: endpoint,
          AWS_ACCESS_KEY_ID: 'ASIAROLEKEYFROMLAMBDA',
          AWS_SECRET_ACCESS_KEY: 'role-secret',
          AWS_SESSION_TOKEN: 'role-session-token',
        },
      );
      expect(answer).toMatchObject({ error: { type: 'InternalFailure' } });
      expect(seen.length).toBeGreaterThan(0);
      for (const headers of seen) {
        expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAROLEKEYFROMLAMBDA\/\d{8}\/eu-west-1\//);
        expect(headers['x-amz-security-token']).toBe('role-session-token');
      }
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('log stack traces that name the TypeScript file, line and function', async () => {
    // No FILES_TABLE: readConfig throws, and the handler logs the error before answering InternalFailure.
    const { answer, stderr } = await invokeBundle('deleteFile', { arguments: { fileID: '01JABCDEFGHJKMNPQRSTVWXYZ0' } }, {});
    expect(answer).toMatchObject({ error: { type: 'InternalFailure' } });
    const config = await readFile(new URL('../../functions/core/config.ts', import.meta.url), 'utf8');
    const throwLine = config.split('\n').findIndex((line) => line.includes('throw new Error(`Missing required environment variable')) + 1;
    expect(stderr).toContain('Missing required environment variable FILES_TABLE');
    expect(stderr).toMatch(new RegExp(`at required \\(.*functions/core/config\\.ts:${throwLine}:\\d+\\)`));
    expect(stderr).toMatch(/at readConfig \(.*functions\/core\/config\.ts:\d+:\d+\)/);
  });
});

describe('literal trait keys in the SDK schemas', () => {
  it('writes computed keys over string constants as literals, and leaves other computed keys alone', () => {
    const source = ['const _hH = "httpHeader";', 'const _e = "error";', 'export var A$ = [3, n0, { [_hH]: _x, [_e]: "client", [other]: 1 }];'].join('\n');
    expect(withLiteralTraitKeys(source).split('\n')[2]).toBe('export var A$ = [3, n0, { "httpHeader": _x, "error": "client", [other]: 1 }];');
  });

  it('leaves no computed key in the S3 client schemas that the bundles use', async () => {
    const schemas = await readFile(new URL('../../node_modules/@aws-sdk/client-s3/dist-es/schemas/schemas_0.js', import.meta.url), 'utf8');
    expect(withLiteralTraitKeys(schemas)).not.toMatch(/\[_\w+\]: /);
  });
});
