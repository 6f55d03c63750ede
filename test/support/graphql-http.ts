/**
 * JSON over HTTP for tests and the bench: GraphQL POSTs (and the REST
 * upload) with one keep-alive agent — the transport the AWS SDK uses, so the
 * bench's API and raw sides pay the same client costs. (Node 20's fetch costs
 * about 1.7 ms more per request than this.) No vitest here: the bench uses it.
 */
import http from 'node:http';
import https from 'node:https';

// Answers are read field by field, as a client would.
export type Json = any;

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };

/** POSTs `body` as JSON and parses the answer (which must be JSON). */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const payload = Buffer.from(JSON.stringify(body));
  const secure = url.startsWith('https:');
  return new Promise((resolve, reject) => {
    const options = {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { 'content-type': 'application/json', ...headers, 'content-length': String(payload.length) },
    };
    const request = (secure ? https : http).request(url, options, (response) => {
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

/** A GraphQL request ({query, variables}) is a JSON POST. */
export const postGraphQL = postJson;

/** Closes the kept-alive sockets, so that a script can exit. */
export function closeHttpAgents(): void {
  agents.http.destroy();
  agents.https.destroy();
}
