/**
 * A client in another process (upload-client.ts), so that what the server
 * process measures — heap, CPU — is the server's alone. Requests go over
 * real HTTP to the server's endpoints.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { compileEntry } from '../../infra/run-compiled.mjs';
import type { Bench } from '../context';

export type UploadPath = 'uploadFile' | 'POST /upload';

export interface Endpoints {
  graphqlUrl: string;
  restUrl: string;
  apiKey: string;
  /** Authorization header value for POST /upload. */
  bearer: string;
}

export type ClientCommand =
  | { kind: 'connect'; endpoints: Endpoints }
  /** Keeps `base64`'s bytes under `name`: the files are sent once, before anything is measured. */
  | { kind: 'file'; name: string; base64: string }
  | { kind: 'burst'; path: UploadPath; projectID: string; prefix: string; file: string; count: number; inFlight: number };

export type ClientReply = { id: number; ms?: number; error?: string };

export interface RemoteClient {
  /** Gives the client a file to upload later. */
  file(name: string, bytes: Buffer): Promise<void>;
  /** `count` uploads of the file, `inFlight` at a time, named `${prefix}-${i}.bin`; resolves with the milliseconds they took, as the client timed them. */
  burst(path: UploadPath, projectID: string, prefix: string, file: string, count: number, inFlight: number): Promise<number>;
  close(): void;
}

export async function startRemoteClient(bench: Bench): Promise<RemoteClient> {
  // Compiled, as the bench is: a TypeScript loader would add its own work to the client's share of the CPU.
  const client = await compileEntry('bench/client/upload-client.ts', 'bench-upload-client');
  const child: ChildProcess = fork(client, { execArgv: ['--enable-source-maps'], stdio: 'inherit' });
  const pending = new Map<number, { resolve: (ms: number) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const fail = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  child.on('message', (message) => {
    const { id, ms, error } = message as ClientReply;
    const waiter = pending.get(id);
    pending.delete(id);
    if (error !== undefined) waiter?.reject(new Error(`bench client: ${error}`));
    else waiter?.resolve(ms ?? 0);
  });
  child.on('exit', (code) => fail(new Error(`the bench client exited (${code})`)));
  child.on('error', fail);
  const send = (command: ClientCommand) =>
    new Promise<number>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, command });
    });

  const { graphqlUrl, restUrl, apiKey } = bench.server;
  await send({ kind: 'connect', endpoints: { graphqlUrl, restUrl, apiKey, bearer: bench.bearer } });
  return {
    file: async (name, bytes) => void (await send({ kind: 'file', name, base64: bytes.toString('base64') })),
    burst: (path, projectID, prefix, file, count, inFlight) => send({ kind: 'burst', path, projectID, prefix, file, count, inFlight }),
    close: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}
