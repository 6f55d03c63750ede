// The two embedded storage engines ship no type declarations; these cover
// the part of their APIs this project calls.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type FilesystemStore from 's3rver/lib/stores/filesystem.js';
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs?: string[] }[];
  }
  /** The part of s3rver's Koa context that its middleware, its router and local/storage/s3 use. */
  export interface S3rverContext {
    app: S3rver;
    req: IncomingMessage;
    res: ServerResponse;
    method: string;
    /** The path after s3rver's vhost rewrite: `/<bucket>/<key>`. */
    path: string;
    /** The request target exactly as the client sent it. */
    originalUrl: string;
    query: Record<string, string | string[] | undefined>;
    /** The request's headers; s3rver's authentication copies x-amz-* query parameters into them. */
    headers: Record<string, string | string[] | undefined>;
    /** Set by s3rver's router once a route matched. */
    params?: { bucket?: string; key?: string; queryMethod?: string };
    state: { service?: string; website?: boolean; methodIsNotAllowed?: boolean; [name: string]: unknown };
    request: { body?: unknown };
    store: FilesystemStore;
    status: number;
    body: unknown;
    set(name: string, value: string): void;
  }
  export type S3rverMiddleware = (ctx: S3rverContext, next: () => Promise<void>) => Promise<void>;
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** The store s3rver's own methods use; `context.store` is the one requests see. */
    store: FilesystemStore;
    context: { store: FilesystemStore };
    /** Koa's middleware stack, in order; its last entry is s3rver's router. */
    middleware: S3rverMiddleware[];
    allowMismatchedSignatures: boolean;
    run(): Promise<{ address: string; port: number; family: string }>;
    /** The HTTP server `run()` started. */
    httpServer?: import('node:http').Server;
    close(): Promise<void>;
  }
}

declare module 's3rver/lib/models/object.js' {
  import type { Readable } from 'node:stream';
  export default class S3Object {
    /** The request headers s3rver keeps as an object's metadata (besides x-amz-meta-*). */
    static ALLOWED_METADATA: string[];
    constructor(bucket: string, key: string, content: Readable | Buffer | null, metadata: Record<string, unknown>);
    bucket: string;
    key: string;
    content: Readable | Buffer | null;
    metadata: Record<string, string>;
    range?: { start: number; end: number };
    readonly size: number;
    readonly lastModifiedDate: Date;
  }
}

declare module 's3rver/lib/models/error.js' {
  /** s3rver answers an S3Error thrown anywhere in a request as S3's XML error document. */
  export default class S3Error extends Error {
    constructor(code: string, message?: string, detail?: Record<string, string | number | undefined>);
    code: string;
    detail: Record<string, string | number | undefined>;
    status: number;
    expose: boolean;
  }
}

declare module 's3rver/lib/models/account.js' {
  export default class AWSAccount {
    static registry: Map<string, AWSAccount>;
    /** The account s3rver's own keys belong to. */
    static DUMMY_ACCOUNT: AWSAccount;
    accessKeys: Map<string, string>;
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  }
}

declare module 's3rver/lib/stores/filesystem.js' {
  import type { Readable } from 'node:stream';
  import type S3Object from 's3rver/lib/models/object.js';
  export interface ListObjectsOptions {
    delimiter?: string;
    startAfter?: string;
    prefix?: string;
    maxKeys?: number;
  }
  export interface ListObjectsResult {
    objects: S3Object[];
    commonPrefixes: string[];
    isTruncated: boolean;
  }
  export interface StoredBody {
    size: number;
    md5: string;
  }
  /** Buckets are folders; an object is `<key>._S3rver_object` with `….md5` and `<key>._S3rver_metadata.json` beside it. */
  export default class FilesystemStore {
    static encodeKeyPath(key: string): string;
    static decodeKeyPath(keyPath: string): string;
    constructor(rootDirectory: string);
    rootDirectory: string;
    getBucketPath(bucket: string): string;
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    /** The stored metadata.json with etag, last-modified and content-length added; throws ENOENT when there is no object. */
    getMetadata(bucket: string, key: string): Promise<Record<string, string>>;
    putBucket(bucket: string): Promise<unknown>;
    /** A bucket's (or object's) `<type>.xml` configuration; null when it has none. */
    getSubresource(bucket: string, key: string | undefined, resourceType: string): Promise<unknown>;
    listObjects(bucket: string, options: ListObjectsOptions): Promise<ListObjectsResult>;
    existsObject(bucket: string, key: string): Promise<boolean>;
    getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<S3Object | null>;
    putObject(object: S3Object): Promise<StoredBody>;
    /** `replacementMetadata`: the request's headers when it replaces the metadata (x-amz-metadata-directive: REPLACE). */
    copyObject(
      srcBucket: string,
      srcKey: string,
      destBucket: string,
      destKey: string,
      replacementMetadata: Record<string, unknown> | null,
    ): Promise<Record<string, string>>;
    deleteObject(bucket: string, key: string): Promise<void>;
    initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, unknown>): Promise<void>;
    putPart(bucket: string, uploadId: string, partNumber: string | number, content: Readable): Promise<StoredBody>;
    /** `parts` as s3rver's controller read them from the request: numbers and unquoted ETags, in request order. */
    putObjectMultipart(bucket: string, uploadId: string, parts: { number: number; etag: string }[]): Promise<StoredBody>;
  }
}

declare module 'dynalite/db/index.js' {
  type Item = Record<string, Record<string, unknown>>;
  interface KeySchemaElement {
    AttributeName: string;
    KeyType: 'HASH' | 'RANGE';
  }
  export interface IndexDescription {
    IndexName: string;
    KeySchema: KeySchemaElement[];
    Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  }
  export interface TableDescription {
    TableName: string;
    TableStatus: string;
    KeySchema: KeySchemaElement[];
    AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
    LocalSecondaryIndexes?: IndexDescription[];
    GlobalSecondaryIndexes?: IndexDescription[];
  }
  /** A key-prefixed view of the one LevelDB (dynalite's "sub-db"). */
  interface SubDb {
    put(key: string, value: unknown, callback: (error?: Error | null) => void): void;
    get(key: string, callback: (error: Error | null, value?: unknown) => void): void;
    /** Patched in (patches/dynalite+4.0.0.patch): the key `key` is stored under in the main db. */
    prefixedKey(key: string): string;
  }
  export interface Store {
    /** The LevelDB (JSON values) every sub-db's keys live in. */
    db: {
      iterator(range: { gte?: string; lt?: string }): AsyncIterable<[string, unknown]>;
      batch(operations: ({ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string })[], callback: (error?: Error | null) => void): void;
      close(callback: (error?: Error | null) => void): void;
    };
    tableDb: SubDb;
    getItemDb(tableName: string): SubDb;
    getIndexDb(indexType: 'Local' | 'Global', tableName: string, indexName: string): SubDb;
  }
  export function create(options: { path?: string; createTableMs?: number }): Store;
  export function createKey(item: Item, table: TableDescription): string;
  export function getIndexActions(
    indexes: IndexDescription[],
    existingItem: Item | null,
    item: Item | null,
    table: TableDescription,
  ): { puts: { index: string; key: string; item: Item }[]; deletes: { index: string; key: string }[] };
  /** Patched in: an item and its index entries written (or deleted, item null) in one LevelDB batch. */
  export function writeItem(
    store: Store,
    table: TableDescription,
    key: string,
    existingItem: Item | null,
    item: Item | null,
    callback: (error?: Error | null) => void,
  ): void;
}

declare module 'dynalite/actions/putItem.js' {
  import type { Store } from 'dynalite/db/index.js';
  export default function putItem(store: Store, data: Record<string, unknown>, callback: (error: Error | null, result?: unknown) => void): void;
}

declare module 'dynalite/actions/deleteItem.js' {
  export { default } from 'dynalite/actions/putItem.js';
}

declare module 'dynalite/actions/updateItem.js' {
  export { default } from 'dynalite/actions/putItem.js';
}
