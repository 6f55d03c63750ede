import type { S3rverContext } from 's3rver';
import type { Readable } from 'node:stream';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** What the store's operations read from the request they serve, and what they add to its answer. */
export interface S3Request {
  /**
   * The headers exactly as the client sent them. s3rver's authentication
   * later copies a presigned URL's x-amz-* query parameters into the
   * context's headers; S3 ignores a checksum or checksum mode there (the
   * SDK's presigner hoists them into the query unless told not to), and so
   * do the operations that read these.
   */
  readonly headers: Headers;
  header(name: string): string | undefined;
  /** The object key in the path, once s3rver's router has matched the route. */
  readonly key: string | undefined;
  /** The request's body stream: a store call given this stream serves a PUT of this request. */
  readonly body: Readable;
  /** The body s3rver's controller parsed: CompleteMultipartUpload's part list. */
  readonly parsedBody: unknown;
  /** Sets a header on the answer. */
  respond(name: string, value: string): void;
  /** Elements CompleteMultipartUpload adds to the result s3rver's controller writes. */
  completion?: Record<string, string>;
  /** The object body GetObject opened: closed once the request is answered, unless it is the answer's body. */
  content?: Readable;
}

/** Snapshots the client's headers: call before s3rver's router (and its authentication) sees the request. */
export function requestOf(ctx: S3rverContext): S3Request {
  const headers: Headers = { ...ctx.req.headers };
  return {
    headers,
    header: (name) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    },
    get key() {
      return ctx.params?.key;
    },
    body: ctx.req,
    get parsedBody() {
      return ctx.request.body;
    },
    respond: (name, value) => ctx.set(name, value),
  };
}
