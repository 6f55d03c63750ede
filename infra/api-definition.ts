/**
 * The one API definition: the storage layout, the data sources, and which
 * resolver code serves which schema field. The CDK stack and the local server
 * both read this module, so what runs on one machine is what AWS runs.
 *
 * Code files follow the binding-by-file-name convention: the resolver for
 * `Query.filesByProject` lives in `resolvers/Query.filesByProject.ts`, a
 * pipeline function `getFile` in `resolvers/functions/getFile.ts`.
 */

export const fileTable = {
  logicalName: 'FileMetadata',
  partitionKey: 'fileID',
  byProjectIndex: { name: 'byProject', partitionKey: 'projectID', sortKey: 'uploadedAt' },
} as const;

/**
 * The files bucket's CORS rule, less its origins (a deployment setting): what
 * browsers need for presigned requests — PUT (a whole file, or one part),
 * GET and HEAD (downloads), and the ETag header multipart clients read. No
 * POST: the large-upload Lambda creates and completes multipart uploads itself.
 */
export const bucketCors = {
  allowedMethods: ['PUT', 'GET', 'HEAD'],
  allowedHeaders: ['*'],
  exposedHeaders: ['ETag'],
  maxAgeSeconds: 3000,
} as const;

export const dataSources = {
  /** The FileMetadata table, read directly by APPSYNC_JS resolvers. */
  FileTable: { kind: 'AMAZON_DYNAMODB' },
  /** The upload Lambda (functions/upload): writes the object, then the row. */
  UploadFunction: { kind: 'AWS_LAMBDA', lambda: 'upload' },
  /** The large-upload Lambda (functions/large-upload): presigned PUTs and multipart uploads, their completion and abort. */
  LargeUploadFunction: { kind: 'AWS_LAMBDA', lambda: 'largeUpload' },
  /** The delete Lambda (functions/delete-file): removes the row, then the object. */
  DeleteFunction: { kind: 'AWS_LAMBDA', lambda: 'deleteFile' },
  /** The download Lambda (functions/download): signs GET URLs, a batch at a time. */
  DownloadFunction: { kind: 'AWS_LAMBDA', lambda: 'download' },
  /** No data source: authorization checks and subscriptions. */
  None: { kind: 'NONE' },
} as const;

export type DataSourceName = keyof typeof dataSources;

/**
 * `maxBatchSize` makes a Lambda function batched: AppSync gathers the calls
 * of one request (e.g. downloadUrl of every file in a page) into BatchInvoke
 * events of up to that many payloads.
 */
export const pipelineFunctions = {
  authorizeProject: { dataSource: 'None' },
  queryFilesByProject: { dataSource: 'FileTable' },
  getFile: { dataSource: 'FileTable' },
  getUpload: { dataSource: 'FileTable' },
  invokeUpload: { dataSource: 'UploadFunction' },
  invokeLargeUpload: { dataSource: 'LargeUploadFunction' },
  invokeDeleteFile: { dataSource: 'DeleteFunction' },
  signDownloadUrl: { dataSource: 'DownloadFunction', maxBatchSize: 100 },
} as const satisfies Record<string, { dataSource: DataSourceName; maxBatchSize?: number }>;

export type PipelineFunctionName = keyof typeof pipelineFunctions;

export interface ResolverDefinition {
  /** A root type, or an object type whose field has a resolver of its own (File.downloadUrl). */
  typeName: 'Query' | 'Mutation' | 'Subscription' | 'File';
  fieldName: string;
  /** Functions run in order between the resolver's request and response. */
  pipeline: readonly PipelineFunctionName[];
}

/** Every root field of schema/schema.graphql, and each other field with code of its own, each with its pipeline. */
export const resolvers: readonly ResolverDefinition[] = [
  { typeName: 'Query', fieldName: 'filesByProject', pipeline: ['authorizeProject', 'queryFilesByProject'] },
  { typeName: 'Query', fieldName: 'file', pipeline: ['getFile', 'authorizeProject'] },
  { typeName: 'Mutation', fieldName: 'uploadFile', pipeline: ['authorizeProject', 'invokeUpload'] },
  { typeName: 'Mutation', fieldName: 'announceFileUploaded', pipeline: ['getFile', 'authorizeProject'] },
  { typeName: 'Mutation', fieldName: 'createUploadUrl', pipeline: ['authorizeProject', 'invokeLargeUpload'] },
  { typeName: 'Mutation', fieldName: 'completeUpload', pipeline: ['getUpload', 'authorizeProject', 'invokeLargeUpload'] },
  { typeName: 'Mutation', fieldName: 'abortUpload', pipeline: ['getUpload', 'authorizeProject', 'invokeLargeUpload'] },
  { typeName: 'Mutation', fieldName: 'deleteFile', pipeline: ['getFile', 'authorizeProject', 'invokeDeleteFile'] },
  { typeName: 'Subscription', fieldName: 'onFileUploaded', pipeline: ['authorizeProject'] },
  { typeName: 'Subscription', fieldName: 'onFileDeleted', pipeline: ['authorizeProject'] },
  { typeName: 'File', fieldName: 'downloadUrl', pipeline: ['signDownloadUrl'] },
];

/**
 * AppSync's per-request quotas for this API: set on the deployed API
 * (resolverCountLimit, queryDepthLimit; the 30 s is AppSync's own) and
 * enforced by the local server alike. No query of this schema nests deeper
 * than 3; GraphQL's standard introspection query (GraphiQL, codegen) is 15.
 */
export const requestLimits = {
  resolverCount: 10_000,
  queryDepth: 20,
  executionMs: 30_000,
} as const;

/** Lambda functions: name → entry point (bundled to dist/functions/<name>/index.mjs). */
export const lambdas = {
  upload: { entry: 'functions/upload/index.ts' },
  restUpload: { entry: 'functions/rest-upload/index.ts' },
  largeUpload: { entry: 'functions/large-upload/index.ts' },
  deleteFile: { entry: 'functions/delete-file/index.ts' },
  download: { entry: 'functions/download/index.ts' },
  reconcile: { entry: 'functions/reconcile/index.ts' },
} as const;

export type LambdaName = keyof typeof lambdas;

/** The Lambdas that serve as AppSync data sources (the others sit behind API Gateway). */
export type DataSourceLambdaName = Extract<(typeof dataSources)[DataSourceName], { kind: 'AWS_LAMBDA' }>['lambda'];
export const dataSourceLambdas: DataSourceLambdaName[] = Object.values(dataSources).flatMap((source) => (source.kind === 'AWS_LAMBDA' ? [source.lambda] : []));

export const resolverCodeName = (r: Pick<ResolverDefinition, 'typeName' | 'fieldName'>): string => `${r.typeName}.${r.fieldName}`;
