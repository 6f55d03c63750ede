import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServer, type LocalServer } from '../../local/server';
import { PDF_BYTES } from '../functions/factories';
import { postGraphQL, restUpload } from '../support/local-server';

// Each in-memory server has its own storage and its own IAM key pair: a Lambda
// pointed at the other server's storage or GRAPHQL_URL would store the file
// there, or have its signed announcement refused there.
const servers: LocalServer[] = [];
const environmentBefore = { ...process.env };
beforeAll(async () => {
  servers.push(await startLocalServer({ port: 0 }), await startLocalServer({ port: 0 }));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function uploadBoth(server: LocalServer, projectID: string) {
  const token = await server.signToken({ username: 'alice', groups: [`project-${projectID}`] });
  const viaGraphQL = await postGraphQL(
    server.graphqlUrl,
    {
      query: 'mutation U($in: UploadFileInput!) { uploadFile(input: $in) { fileID } }',
      variables: { in: { projectID, fileName: 'a.txt', fileType: 'text', contentBase64: 'aGVsbG8=' } },
    },
    { authorization: token },
  );
  const viaRest = await restUpload(
    server.restUrl,
    { file_content: PDF_BYTES.toString('base64'), file_name: 'b.pdf', project_id: projectID, file_type: 'pdf' },
    { authorization: `Bearer ${token}` },
  );
  expect(viaRest.status).toBe(200);
  return [viaGraphQL.body.data.uploadFile.fileID, viaRest.body.file.fileID].sort();
}

const listed = async (server: LocalServer, projectID: string) =>
  (
    await postGraphQL(
      server.graphqlUrl,
      { query: 'query L($p: ID!) { filesByProject(projectID: $p) { items { fileID } } }', variables: { p: projectID } },
      { 'x-api-key': server.apiKey },
    )
  ).body.data.filesByProject.items
    .map((item: { fileID: string }) => item.fileID)
    .sort();

describe('two local servers in one process', () => {
  it('keep their Lambdas’ settings apart (storage and GRAPHQL_URL), and leave process.env alone', async () => {
    const failures = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
    const [first, second] = servers;

    const firstFiles = await uploadBoth(first, 'shared');
    const secondFiles = await uploadBoth(second, 'shared');

    expect(await listed(first, 'shared')).toEqual(firstFiles);
    expect(await listed(second, 'shared')).toEqual(secondFiles);
    // Each REST upload announced itself to its own server, signed with that server's key pair.
    for (const spy of failures) expect(spy).not.toHaveBeenCalled();
    expect(process.env).toEqual(environmentBefore);
  });
});
