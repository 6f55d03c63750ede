import { CfnOutput, Stack, Validations, type StackProps, type Stage } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AnnounceFileUploadedDocument } from '../generated/operations';
import { dataSourceLambdas, type DataSourceLambdaName } from './api-definition';
import { Auth } from './constructs/auth';
import { BundledFunction } from './constructs/bundled-function';
import { FilesGraphqlApi } from './constructs/graphql-api';
import { RestUploadApi } from './constructs/rest-api';
import { Reconciler } from './constructs/reconciler';
import { FileStorage } from './constructs/storage';
import type { LambdaSettings } from '../functions/core/config';

export interface FilesStackProps extends StackProps {
  /**
   * Deletion protection on the FileMetadata table and the user pool. Turn it
   * off only for throwaway stacks: `cdk destroy` then deletes both.
   * @default true
   */
  deletionProtection?: boolean;
  /**
   * Origins whose web pages may upload and download objects directly
   * (presigned URLs). CORS decides only which pages may read responses in a
   * browser; every request still needs a presigned URL or credentials, so
   * the default grants no access — but name your front-end's origin.
   * @default ['*']
   */
  corsAllowedOrigins?: string[];
  /**
   * Names the AppSync API key. Deploying a new name creates a new key and
   * deletes the old one: how to rotate the key's value.
   * @default 'Default'
   */
  apiKeyName?: string;
}

/** The AppSync data-source Lambdas: the construct ID each keeps in the template, what it does, and exactly the storage calls it makes. */
const DATA_SOURCE_FUNCTIONS: Record<DataSourceLambdaName, { id: string; description: string; grant: (storage: FileStorage, role: iam.Role) => void }> = {
  upload: {
    id: 'UploadFunction',
    description: 'uploadFile: stores the object in S3, then its metadata row in DynamoDB',
    grant: (storage, role) => storage.grantUploadCore(role),
  },
  largeUpload: {
    id: 'LargeUploadFunction',
    description: 'createUploadUrl, completeUpload, abortUpload: presigned PUTs and S3 multipart uploads, checked and recorded in DynamoDB',
    grant: (storage, role) => storage.grantLargeUpload(role),
  },
  deleteFile: {
    id: 'DeleteFileFunction',
    description: 'deleteFile: deletes the metadata row in DynamoDB, then the object in S3',
    grant: (storage, role) => storage.grantDeleteFile(role),
  },
  download: {
    id: 'DownloadFunction',
    description: 'File.downloadUrl: signs S3 GET URLs for a batch of files (AppSync BatchInvoke)',
    grant: (storage, role) => storage.grantDownload(role),
  },
};

const handlersOf = (functions: Record<DataSourceLambdaName, BundledFunction>): Record<DataSourceLambdaName, lambda.IFunction> => {
  const handlers = {} as Record<DataSourceLambdaName, lambda.IFunction>;
  for (const name of dataSourceLambdas) handlers[name] = functions[name].function;
  return handlers;
};

/** The whole service: storage, users, the Lambdas, the GraphQL API, the REST endpoint and the scheduled reconciler. */
export class FilesStack extends Stack {
  readonly storage: FileStorage;
  readonly auth: Auth;
  readonly uploadFunction: BundledFunction;
  readonly largeUploadFunction: BundledFunction;
  readonly deleteFileFunction: BundledFunction;
  readonly downloadFunction: BundledFunction;
  readonly restUploadFunction: BundledFunction;
  readonly reconciler: Reconciler;
  readonly graphql: FilesGraphqlApi;
  readonly rest: RestUploadApi;

  constructor(scope: Construct, id: string, props: FilesStackProps = {}) {
    super(scope, id, { description: 'CodeCraft Files: GraphQL (AppSync) file API on S3 and DynamoDB', ...props });
    const deletionProtection = props.deletionProtection ?? true;

    const storage = new FileStorage(this, 'Storage', { deletionProtection, corsAllowedOrigins: props.corsAllowedOrigins ?? ['*'] });
    const auth = new Auth(this, 'Auth', { deletionProtection });
    const storageSettings: LambdaSettings = { filesTable: storage.table.tableName, filesBucket: storage.bucket.bucketName };

    const functions = Object.fromEntries(
      dataSourceLambdas.map((lambda) => {
        const { id: functionId, description, grant } = DATA_SOURCE_FUNCTIONS[lambda];
        const bundled = new BundledFunction(this, functionId, { lambda, description, settings: storageSettings });
        grant(storage, bundled.role);
        return [lambda, bundled];
      }),
    ) as Record<DataSourceLambdaName, BundledFunction>;

    const graphql = new FilesGraphqlApi(this, 'GraphQL', {
      auth,
      storage,
      functions: handlersOf(functions),
      apiKeyName: props.apiKeyName ?? 'Default',
    });

    const restUpload = new BundledFunction(this, 'RestUploadFunction', {
      lambda: 'restUpload',
      description: 'POST /upload (legacy payload) through the same upload core, announced to subscribers',
      settings: { ...storageSettings, graphqlUrl: graphql.api.graphqlUrl },
    });
    storage.grantUploadCore(restUpload.role);
    // The mutation functions/rest-upload sends, IAM-signed: appsync:GraphQL on that one field.
    graphql.grantOperation(restUpload.role, AnnounceFileUploadedDocument.toString());

    const rest = new RestUploadApi(this, 'Rest', { auth, handler: restUpload.function });
    const reconciler = new Reconciler(this, 'Reconciler', { storage, settings: storageSettings });

    this.storage = storage;
    this.auth = auth;
    this.uploadFunction = functions.upload;
    this.largeUploadFunction = functions.largeUpload;
    this.deleteFileFunction = functions.deleteFile;
    this.downloadFunction = functions.download;
    this.restUploadFunction = restUpload;
    this.reconciler = reconciler;
    this.graphql = graphql;
    this.rest = rest;

    const outputs: Record<string, { value: string; description: string }> = {
      GraphQLUrl: { value: graphql.api.graphqlUrl, description: 'GraphQL endpoint (queries and mutations, HTTPS)' },
      RealtimeUrl: { value: graphql.realtimeUrl, description: 'Real-time endpoint for subscriptions (WebSocket)' },
      GraphQLApiId: { value: graphql.api.apiId, description: 'AppSync API ID (aws appsync list-api-keys --api-id …)' },
      RestUrl: { value: rest.uploadUrl, description: 'Legacy REST upload: POST with a user-pool token' },
      UserPoolId: { value: auth.userPool.userPoolId, description: 'Cognito user pool (users and project groups)' },
      UserPoolClientId: { value: auth.client.userPoolClientId, description: 'App client for browser sign-in' },
      BucketName: { value: storage.bucket.bucketName, description: 'Bucket holding the files' },
      TableName: { value: storage.table.tableName, description: 'FileMetadata table' },
    };
    for (const [name, output] of Object.entries(outputs)) new CfnOutput(this, name, output);
  }
}

/**
 * Runs cdk-nag's AWS Solutions rules on every synthesis of `stage`: any
 * finding that is not acknowledged next to its resource fails it.
 */
export function checkWithCdkNag(stage: Stage): void {
  Validations.of(stage).addPlugins(new AwsSolutionsChecks(stage, { verbose: true }));
}
