/**
 * The fan-out's uploader, in a worker thread of its own: in the server's
 * thread it would read each uploadFile answer only after the server had
 * written every data frame, which is not when a client elsewhere reads it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UploadFileDocument } from '../../generated/operations';
import { postGraphQL, type Json } from '../../test/support/graphql-http';
import type { ThreadReply } from './fan-out-threads';

export interface UploaderData {
  graphqlUrl: string;
  apiKey: string;
  projectID: string;
  bodyBase64: string;
}

export type UploaderRequest = { type: 'upload'; fileName: string };
export type UploaderReply = ThreadReply | { type: 'uploaded'; file: Json; sent: number; answered: number };

const stamp = () => performance.timeOrigin + performance.now();
const { graphqlUrl, apiKey, projectID, bodyBase64 } = workerData as UploaderData;
const port = parentPort!;

async function upload({ fileName }: UploaderRequest): Promise<void> {
  const input = { projectID, fileName, fileType: 'bin', contentBase64: bodyBase64 };
  const sent = stamp();
  try {
    const { status, body } = await postGraphQL(graphqlUrl, { query: UploadFileDocument.toString(), variables: { input } }, { 'x-api-key': apiKey });
    const answered = stamp();
    if (status !== 200 || body.errors) throw new Error(`uploadFile ${status}: ${JSON.stringify(body.errors ?? body)}`);
    port.postMessage({ type: 'uploaded', file: body.data.uploadFile, sent, answered } satisfies UploaderReply);
  } catch (failure) {
    port.postMessage({ type: 'failed', message: String(failure) } satisfies UploaderReply);
  }
}

// upload() answers every request, failures included: it never rejects.
port.on('message', (request: UploaderRequest) => void upload(request));
port.postMessage({ type: 'ready' } satisfies UploaderReply);
