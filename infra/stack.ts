import { CfnOutput, Stack, Validations, type StackProps, type Stage } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { AnnounceFileUploadedDocument } from '../generated/operations';
import { Auth } from './constructs/auth';
import { BundledFunction } from './constructs/bundled-function';
import { FilesGraphqlApi } from './constructs/graphql-api';
import { RestUploadApi } from './constructs/rest-api';
import { FileStorage } from './constructs/storage';

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

/** The whole service: storage, users, the Lambdas, the GraphQL API and the REST endpoint. */
export class FilesStack extends Stack {
  readonly storage: FileStorage;
  readonly auth: Auth;
  readonly uploadFunction: BundledFunction;
  readonly largeUploadFunction: BundledFunction;
  readonly deleteFileFunction: BundledFunction;
  readonly downloadFunction: BundledFunction;
  readonly restUploadFunction: BundledFunction;
  readonly graphql: FilesGraphqlApi;
  readonly rest: RestUploadApi;

  constructor(scope: Construct, id: string, props: FilesStackProps = {}) {
    super(scope, id, { description: 'CodeCraft Files: GraphQL (AppSync) file API on S3 and DynamoDB', ...props });
    const deletionProtection = props.deletionProtection ?? true;

    const storage = new FileStorage(this, 'Storage', { deletionProtection, corsAllowedOrigins: props.corsAllowedOrigins ?? ['*'] });
    const auth = new Auth(this, 'Auth', { deletionProtection });
    // The names functions/core/config.ts reads.
    const storageEnvironment = { FILES_TABLE: storage.table.tableName, FILES_BUCKET: storage.bucket.bucketName };

    const upload = new BundledFunction(this, 'UploadFunction', {
      lambda: 'upload',
      description: 'uploadFile: stores the object in S3, then its metadata row in DynamoDB',
      environment: storageEnvironment,
    });
    storage.grantUploadCore(upload.role);

    const largeUpload = new BundledFunction(this, 'LargeUploadFunction', {
      lambda: 'largeUpload',
      description: 'createUploadUrl, completeUpload, abortUpload: presigned PUTs and S3 multipart uploads, checked and recorded in DynamoDB',
      environment: storageEnvironment,
    });
    storage.grantLargeUpload(largeUpload.role);

    const deleteFile = new BundledFunction(this, 'DeleteFileFunction', {
      lambda: 'deleteFile',
      description: 'deleteFile: deletes the metadata row in DynamoDB, then the object in S3',
      environment: storageEnvironment,
    });
    storage.grantDeleteFile(deleteFile.role);

    const download = new BundledFunction(this, 'DownloadFunction', {
      lambda: 'download',
      description: 'File.downloadUrl: signs S3 GET URLs for a batch of files (AppSync BatchInvoke)',
      environment: storageEnvironment,
    });
    storage.grantDownload(download.role);

    const graphql = new FilesGraphqlApi(this, 'GraphQL', {
      auth,
      storage,
      functions: { upload: upload.function, largeUpload: largeUpload.function, deleteFile: deleteFile.function, download: download.function },
      apiKeyName: props.apiKeyName ?? 'Default',
    });

    const restUpload = new BundledFunction(this, 'RestUploadFunction', {
      lambda: 'restUpload',
      description: 'POST /upload (legacy payload) through the same upload core, announced to subscribers',
      environment: { ...storageEnvironment, GRAPHQL_URL: graphql.api.graphqlUrl },
    });
    storage.grantUploadCore(restUpload.role);
    // The mutation functions/rest-upload sends, IAM-signed: appsync:GraphQL on that one field.
    graphql.grantOperation(restUpload.role, AnnounceFileUploadedDocument.toString());

    const rest = new RestUploadApi(this, 'Rest', { auth, handler: restUpload.function });

    this.storage = storage;
    this.auth = auth;
    this.uploadFunction = upload;
    this.largeUploadFunction = largeUpload;
    this.deleteFileFunction = deleteFile;
    this.downloadFunction = download;
    this.restUploadFunction = restUpload;
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
