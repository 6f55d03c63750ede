/**
 * One presigned PUT of a Blob with upload progress (fetch reports none, so
 * XMLHttpRequest), carrying the ticket's signed headers. content-length is
 * left to the browser, which sets it from the body and refuses it by hand.
 */
export interface PutProgress {
  (bytesSent: number): void;
}

export class PutFailed extends Error {}

export function putBlob(url: string, headersJson: string, body: Blob, onProgress: PutProgress, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException('Cancelled', 'AbortError'));
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(JSON.parse(headersJson) as Record<string, string>)) {
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    }
    const abort = () => xhr.abort();
    signal.addEventListener('abort', abort, { once: true });
    xhr.onloadend = () => signal.removeEventListener('abort', abort);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        resolve(xhr.getResponseHeader('etag') ?? '');
      } else {
        const code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText)?.[1];
        reject(new PutFailed(`Storage refused the bytes (${xhr.status}${code ? ` ${code}` : ''}).`));
      }
    };
    xhr.onerror = () => reject(new PutFailed('The connection to storage failed.'));
    xhr.onabort = () => reject(new DOMException('Cancelled', 'AbortError'));
    xhr.send(body);
  });
}
