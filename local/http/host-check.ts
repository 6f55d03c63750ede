/**
 * Which Host a request to the local server may name. A page on another
 * site can make a browser send requests to 127.0.0.1 under its own name
 * (DNS rebinding): to the browser they are then same-origin, so it reads
 * the answers — a local token, the API key in the /files page. The server
 * answers only requests that name it by a name of this machine.
 */
import os from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** localhost, the loopback addresses, this machine's name (the TLS certificate's names), and the address it listens on. */
export function localHostNames(listenHost: string): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', os.hostname().toLowerCase()]);
  if (!WILDCARDS.has(listenHost)) names.add(listenHost.toLowerCase());
  return names;
}

/** The host name of a Host header ("127.0.0.1:4000", "[::1]:4000", "localhost"), lower case; undefined when malformed. */
function hostNameOf(header: string): string | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/i.exec(header.trim());
  return (match?.[1] ?? match?.[2])?.toLowerCase();
}

export function isLocalHost(header: string | undefined, names: Set<string>): boolean {
  const name = header === undefined ? undefined : hostNameOf(header);
  return name !== undefined && names.has(name);
}

export const MISDIRECTED = {
  errorType: 'MisdirectedRequest',
  message: 'This server answers only requests addressed to it by a name of this machine (localhost, 127.0.0.1, [::1]).',
};
