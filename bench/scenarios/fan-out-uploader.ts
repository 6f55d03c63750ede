/**
 * The fan-out's uploader, in a worker thread of its own: in the server's
 * thread it would read each uploadFile answer only after the server had
 * written every data frame, which is not when a client elsewhere reads it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UploadFileDocument } from '../../generated/operations';
import type { ThreadReply } from './fan-out-threads';

export interface UploaderData {
  graphqlUrl: string;
  apiKey: string;
  projectID: string;
  bodyBase64: string;
}

export type UploaderRequest = { type: 'upload'; fileName: string };
// Answers are read field by field, as a client would.
type Json = any;

export type UploaderReply = ThreadReply | { type: 'uploaded'; file: Json; sent: number; answered: number };

const stamp = () => performance.timeOrigin + performance.now();
const { graphqlUrl, apiKey, projectID, bodyBase64 } = workerData as UploaderData;
const port = parentPort!;

port.on('message', async ({ fileName }: UploaderRequest) => {
  const input = { projectID, fileName, fileType: 'bin', contentBase64: bodyBase64 };
  const sent = stamp();
  try {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query: UploadFileDocument.toString(), variables: { input } }),
    });
    const body = (await response.json()) as Json;
    const answered = stamp();
    if (response.status !== 200 || body.errors) throw new Error(`uploadFile ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
    port.postMessage({ type: 'uploaded', file: body.data.uploadFile, sent, answered } satisfies UploaderReply);
  } catch (failure) {
    port.postMessage({ type: 'failed', message: String(failure) } satisfies UploaderReply);
  }
});
port.postMessage({ type: 'ready' } satisfies UploaderReply);
