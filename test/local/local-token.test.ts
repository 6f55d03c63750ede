import { describe, expect, it } from 'vitest';
import { postGraphQL, useLocalServer } from '../support/local-server';

const local = useLocalServer();

const ask = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(local.server.localTokenUrl, { method: 'POST', headers, body: JSON.stringify(body) });

describe('POST /local/token', () => {
  it('gives a caller on this machine a user-pool token the API accepts, with the groups asked for', async () => {
    const response = await ask({ username: 'alice', groups: ['project-42'] });
    const { token, tokenType } = (await response.json()) as { token: string; tokenType: string };

    expect([response.status, tokenType, response.headers.get('access-control-allow-origin')]).toEqual([200, 'access', null]);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ username: 'alice', 'cognito:groups': ['project-42'], token_use: 'access' });
    const listed = await postGraphQL(local.server.graphqlUrl, { query: '{ filesByProject(projectID: "42") { items { fileID } } }' }, { authorization: token });
    expect(listed).toEqual({ status: 200, body: { data: { filesByProject: { items: [] } } } });
  });

  it('answers no CORS preflight, so a page of another origin cannot mint tokens', async () => {
    const preflight = await fetch(local.server.localTokenUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([403, null]);
  });

  it.each([
    ['no JSON content type', { username: 'a' }, { 'content-type': 'text/plain' }, 415],
    ['a name with a space', { username: 'a b' }, undefined, 400],
    ['groups that are not a list of names', { username: 'a', groups: 'admins' }, undefined, 400],
  ])('refuses %s', async (_what, body, headers, status) => {
    expect((await ask(body, headers)).status).toBe(status);
  });
});
