/**
 * The benchmark's HTTP client: node:http with one keep-alive agent — the
 * transport the AWS SDK uses on the raw side — so that a ratio compares the
 * API with storage, not two HTTP clients. (Node 20's fetch costs about
 * 1.7 ms more per request than this on the same server: a client's cost.)
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface JsonResponse {
  status: number;
  body: any;
}

/** POSTs `body` as JSON and parses the answer. */
export function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<JsonResponse> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          reject(new Error(`POST ${url} answered ${response.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/** Closes the kept-alive sockets, so the process can exit. */
export const closeClient = (): void => agent.destroy();
