/**
 * The benchmark's upload client, run in a process of its own (remote.ts forks
 * it): base64 and JSON encoding of each request, and the HTTP client (the
 * keep-alive one of the tests, the SDK's kind), stay out of the server's heap,
 * CPU profile and event loop, as they would be on AWS. Commands arrive over
 * the IPC channel; each answer names the command it ends.
 */
import '../env';
import { UploadFileDocument } from '../../generated/operations';
import { postJson } from '../../test/support/graphql-http';
import { inFlight } from '../measure';
import type { ClientCommand, ClientReply, Endpoints, UploadPath } from './remote';

const files = new Map<string, Buffer>();
let endpoints: Endpoints | undefined;

const uploadDocument = UploadFileDocument.toString();

/** One upload over `path`; throws unless the API stored the file. */
async function upload(path: UploadPath, projectID: string, fileName: string, bytes: Buffer): Promise<void> {
  if (!endpoints) throw new Error('no endpoints: send "connect" first');
  const base64 = bytes.toString('base64');
  const request: { url: string; headers: Record<string, string>; body: unknown } =
    path === 'uploadFile'
      ? {
          url: endpoints.graphqlUrl,
          headers: { 'x-api-key': endpoints.apiKey },
          body: { query: uploadDocument, variables: { input: { projectID, fileName, fileType: 'bin', contentBase64: base64 } } },
        }
      : {
          url: endpoints.restUrl,
          headers: { authorization: endpoints.bearer },
          body: { file_content: base64, file_name: fileName, project_id: projectID, file_type: 'bin' },
        };
  const { status, body: answer } = await postJson(request.url, request.body, request.headers);
  const stored = path === 'uploadFile' ? answer.data?.uploadFile?.fileID : answer.file?.fileID;
  if (status !== 200 || !stored) throw new Error(`${path} ${status}: ${JSON.stringify(answer.errors ?? answer)}`);
}

/** `count` uploads, `width` at a time; milliseconds from the first request to the last answer. */
async function burst(path: UploadPath, projectID: string, prefix: string, bytes: Buffer, count: number, width: number): Promise<number> {
  const started = performance.now();
  await inFlight(count, width, (i) => upload(path, projectID, `${prefix}-${i}.bin`, bytes));
  return performance.now() - started;
}

async function run(command: ClientCommand): Promise<number | undefined> {
  switch (command.kind) {
    case 'connect':
      endpoints = command.endpoints;
      return undefined;
    case 'file':
      files.set(command.name, Buffer.from(command.base64, 'base64'));
      return undefined;
    case 'burst': {
      const bytes = files.get(command.file);
      if (!bytes) throw new Error(`no file "${command.file}"`);
      return burst(command.path, command.projectID, command.prefix, bytes, command.count, command.inFlight);
    }
  }
}

process.on('message', (message) => {
  const { id, command } = message as { id: number; command: ClientCommand };
  run(command).then(
    (ms) => process.send!({ id, ms } satisfies ClientReply),
    (error: Error) => process.send!({ id, error: error.message } satisfies ClientReply),
  );
});
