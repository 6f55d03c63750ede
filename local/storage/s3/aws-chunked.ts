import { Transform, type TransformCallback } from 'node:stream';
import { s3Error } from './errors';

/**
 * Decodes an `aws-chunked` body (Content-Encoding: aws-chunked): what the
 * AWS SDK sends for a stream body, its checksum in a trailer after the data.
 *
 *   <hex size>[;chunk-signature=…]\r\n<bytes>\r\n … 0[;…]\r\n[<name>:<value>\r\n…]\r\n
 *
 * Data passes through as slices of the incoming chunks (no copies); the
 * trailers are kept for the caller. Chunk signatures are not verified.
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private line = '';
  private remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < chunk.length) {
        if (this.state === 'data') {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.push(chunk.subarray(offset, offset + take));
          offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'data-end';
        } else if (this.state === 'done') {
          throw incomplete('Unexpected bytes after the final aws-chunked chunk.');
        } else {
          offset = this.readLine(chunk, offset);
        }
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === 'done' ? null : incomplete('The aws-chunked body ended before its final chunk.'));
  }

  /** Reads up to the end of a line (or of `chunk`); acts on a complete line. */
  private readLine(chunk: Buffer, offset: number): number {
    const end = chunk.indexOf(0x0a, offset);
    this.line += chunk.toString('latin1', offset, end === -1 ? chunk.length : end + 1);
    if (this.line.length > 8192) throw incomplete('An aws-chunked chunk header is too long.');
    if (end === -1) return chunk.length;
    const line = this.line.replace(/\r?\n$/, '');
    this.line = '';
    this.onLine(line);
    return end + 1;
  }

  private onLine(line: string): void {
    switch (this.state) {
      case 'size': {
        const size = /^([0-9a-fA-F]+)(;.*)?$/.exec(line);
        if (!size) throw incomplete(`Malformed aws-chunked chunk header: ${line.slice(0, 100)}`);
        this.remaining = parseInt(size[1], 16);
        this.state = this.remaining === 0 ? 'trailer' : 'data';
        return;
      }
      case 'data-end':
        if (line !== '') throw incomplete('An aws-chunked chunk is longer than its declared size.');
        this.state = 'size';
        return;
      case 'trailer': {
        if (line === '') {
          this.state = 'done';
          return;
        }
        const colon = line.indexOf(':');
        if (colon > 0) this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        return;
      }
    }
  }
}

const incomplete = (message: string) => s3Error('IncompleteBody', message);
