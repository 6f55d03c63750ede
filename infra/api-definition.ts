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

export const dataSources = {
  /** The FileMetadata table, read directly by APPSYNC_JS resolvers. */
  FileTable: { kind: 'AMAZON_DYNAMODB' },
  /** The upload Lambda (functions/upload): writes the object, then the row. */
  UploadFunction: { kind: 'AWS_LAMBDA', lambda: 'upload' },
  /** No data source: authorization checks and subscriptions. */
  None: { kind: 'NONE' },
} as const;

export type DataSourceName = keyof typeof dataSources;

export const pipelineFunctions = {
  authorizeProject: { dataSource: 'None' },
  queryFilesByProject: { dataSource: 'FileTable' },
  getFile: { dataSource: 'FileTable' },
  invokeUpload: { dataSource: 'UploadFunction' },
} as const satisfies Record<string, { dataSource: DataSourceName }>;

export type PipelineFunctionName = keyof typeof pipelineFunctions;

export interface ResolverDefinition {
  typeName: 'Query' | 'Mutation' | 'Subscription';
  fieldName: string;
  /** Functions run in order between the resolver's request and response. */
  pipeline: readonly PipelineFunctionName[];
}

/** Every root field of schema/schema.graphql, each with its pipeline. */
export const resolvers: readonly ResolverDefinition[] = [
  { typeName: 'Query', fieldName: 'filesByProject', pipeline: ['authorizeProject', 'queryFilesByProject'] },
  { typeName: 'Query', fieldName: 'file', pipeline: ['getFile', 'authorizeProject'] },
  { typeName: 'Mutation', fieldName: 'uploadFile', pipeline: ['authorizeProject', 'invokeUpload'] },
  { typeName: 'Mutation', fieldName: 'announceFileUploaded', pipeline: ['getFile', 'authorizeProject'] },
  { typeName: 'Subscription', fieldName: 'onFileUploaded', pipeline: ['authorizeProject'] },
];

/** Lambda functions: name → entry point (bundled to dist/functions/<name>/index.mjs). */
export const lambdas = {
  upload: { entry: 'functions/upload/index.ts' },
  restUpload: { entry: 'functions/rest-upload/index.ts' },
} as const;

export type LambdaName = keyof typeof lambdas;

/** The Lambdas that serve as AppSync data sources (the others sit behind API Gateway). */
export type DataSourceLambdaName = Extract<(typeof dataSources)[DataSourceName], { kind: 'AWS_LAMBDA' }>['lambda'];

export const resolverCodeName = (r: Pick<ResolverDefinition, 'typeName' | 'fieldName'>): string =>
  `${r.typeName}.${r.fieldName}`;
