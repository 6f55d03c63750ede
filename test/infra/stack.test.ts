import type * as iam from 'aws-cdk-lib/aws-iam';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineFunctions, resolvers } from '../../infra/api-definition';
import { undocumentedSchemaConstructs } from '../../infra/appsync-schema';
import { filesApp, getAtt, logicalId, ref, type FilesApp } from './files-app';

interface Resource {
  Type: string;
  Properties: Record<string, any>;
  DeletionPolicy?: string;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

let files: FilesApp;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  files = filesApp();
  template = Template.fromStack(files.stack);
  resources = template.toJSON().Resources;
});
afterAll(() => files.dispose());

const propertiesOf = (id: string) => resources[id].Properties;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const joined = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });

/** Every statement that reaches the role: inline and attached, as {actions (sorted), resource}. */
function statementsOf(roleId: string) {
  const inline = (propertiesOf(roleId).Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  return ([...inline, ...attached] as Statement[]).map((s) => {
    expect(s.Effect).toBe('Allow');
    return { actions: [s.Action].flat().sort(), resource: s.Resource, ...(s.Condition && { condition: s.Condition }) };
  });
}

const roleId = (role: iam.IRole) => logicalId(role);
/** The role an AppSync data source runs as, found by the data source's name. */
function dataSourceRoleId(name: string): string {
  const [, source] = ofType('AWS::AppSync::DataSource').find(([, r]) => r.Properties.Name === name)!;
  return source.Properties.ServiceRoleArn['Fn::GetAtt'][0];
}

describe('the FileMetadata table', () => {
  it('is keyed by fileID, with the byProject index on projectID and uploadedAt', () => {
    const [[, table], ...others] = ofType('AWS::DynamoDB::Table');
    expect(others).toEqual([]);
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'fileID', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byProject',
          KeySchema: [
            { AttributeName: 'projectID', KeyType: 'HASH' },
            { AttributeName: 'uploadedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('bills on demand, with point-in-time recovery and deletion protection', () => {
    const table = propertiesOf(logicalId(files.stack.storage.table));
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(resources[logicalId(files.stack.storage.table)].DeletionPolicy).toBe('Retain');
  });

  it('expires rows on expiresAt (TTL): the PENDING rows of unfinished uploads', () => {
    expect(propertiesOf(logicalId(files.stack.storage.table)).TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });
});

describe('the files bucket', () => {
  const bucket = () => propertiesOf(logicalId(files.stack.storage.bucket));

  it('blocks public access, is encrypted at rest and versioned', () => {
    expect(bucket()).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('refuses every request that is not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(files.stack.storage.bucket),
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [getAtt(files.stack.storage.bucket, 'Arn'), joined(getAtt(files.stack.storage.bucket, 'Arn'), '/*')],
          },
        ],
      },
    });
  });

  it('lets browsers upload (PUT) and download (GET, HEAD) with presigned URLs, exposing ETag', () => {
    expect(bucket().CorsConfiguration.CorsRules).toEqual([
      { AllowedMethods: ['PUT', 'GET', 'HEAD'], AllowedOrigins: ['*'], AllowedHeaders: ['*'], ExposedHeaders: ['ETag'], MaxAge: 3000 },
    ]);
  });

  it('expires noncurrent versions, and aborts multipart uploads left incomplete for 2 days (a pending upload lives 24 h)', () => {
    expect(bucket().LifecycleConfiguration.Rules).toEqual([
      { Id: 'expire-noncurrent-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true },
      { Id: 'abort-incomplete-multipart-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
    ]);
  });

  it('logs its requests to a private, TLS-only log bucket', () => {
    const logBucket = bucket().LoggingConfiguration.DestinationBucketName.Ref;
    expect(propertiesOf(logBucket)).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucket },
      PolicyDocument: { Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }, { Effect: 'Allow' }] },
    });
  });
});

describe('IAM', () => {
  const objects = () => joined(getAtt(files.stack.storage.bucket, 'Arn'), '/projects/*');
  const table = () => getAtt(files.stack.storage.table, 'Arn');
  const uploadCore = () => [
    { actions: ['s3:DeleteObject', 's3:PutObject'], resource: objects() },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resource: table() },
  ];

  it('gives the upload Lambda its log group and the upload core calls, nothing more', () => {
    const fn = files.stack.uploadFunction;
    expect(statementsOf(roleId(fn.role))).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: getAtt(fn.logGroup, 'Arn') },
      ...uploadCore(),
    ]);
  });

  it('gives the restUpload Lambda the same, plus appsync:GraphQL on Mutation.announceFileUploaded only', () => {
    const fn = files.stack.restUploadFunction;
    const apiId = getAtt(files.stack.graphql.api, 'ApiId');
    expect(statementsOf(roleId(fn.role))).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: getAtt(fn.logGroup, 'Arn') },
      ...uploadCore(),
      {
        actions: ['appsync:GraphQL'],
        resource: joined(
          'arn:',
          { Ref: 'AWS::Partition' },
          ':appsync:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':apis/',
          apiId,
          '/types/Mutation/fields/announceFileUploaded',
        ),
      },
    ]);
  });

  it('gives the largeUpload Lambda its log group, the object actions of presigning, multipart and checks, and item writes, nothing more', () => {
    const fn = files.stack.largeUploadFunction;
    expect(statementsOf(roleId(fn.role))).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: getAtt(fn.logGroup, 'Arn') },
      {
        actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        resource: objects(),
      },
      { actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resource: table() },
    ]);
  });

  it('gives the deleteFile Lambda its log group, DeleteObject on object keys and DeleteItem on the table, nothing more', () => {
    const fn = files.stack.deleteFileFunction;
    expect(statementsOf(roleId(fn.role))).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: getAtt(fn.logGroup, 'Arn') },
      { actions: ['s3:DeleteObject'], resource: objects() },
      { actions: ['dynamodb:DeleteItem'], resource: table() },
    ]);
  });

  it('gives the download Lambda its log group and GetObject on object keys (what it signs), no table', () => {
    const fn = files.stack.downloadFunction;
    expect(statementsOf(roleId(fn.role))).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: getAtt(fn.logGroup, 'Arn') },
      { actions: ['s3:GetObject'], resource: objects() },
    ]);
  });

  it('gives the reconciler its log group, ListBucket under projects/ only, GetObject and DeleteObject on object keys, its cursor object, and table reads, nothing more', () => {
    const fn = files.stack.reconciler.bundled;
    expect(statementsOf(roleId(fn.role))).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: getAtt(fn.logGroup, 'Arn') },
      { actions: ['s3:ListBucket'], resource: getAtt(files.stack.storage.bucket, 'Arn'), condition: { StringEquals: { 's3:prefix': 'projects/' } } },
      { actions: ['s3:DeleteObject', 's3:GetObject'], resource: objects() },
      { actions: ['s3:GetObject', 's3:PutObject'], resource: joined(getAtt(files.stack.storage.bucket, 'Arn'), '/reconciler/cursor.json') },
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:Scan'], resource: table() },
    ]);
  });

  it('lets the FileTable data source GetItem on the table and Query the byProject index, nothing else', () => {
    expect(statementsOf(dataSourceRoleId('FileTable'))).toEqual([
      { actions: ['dynamodb:GetItem'], resource: table() },
      { actions: ['dynamodb:Query'], resource: joined(table(), '/index/byProject') },
    ]);
  });

  it('lets each Lambda data source invoke its own Lambda, unqualified', () => {
    const { uploadFunction, largeUploadFunction, deleteFileFunction, downloadFunction } = files.stack;
    const expected = [
      ['UploadFunction', uploadFunction],
      ['LargeUploadFunction', largeUploadFunction],
      ['DeleteFunction', deleteFileFunction],
      ['DownloadFunction', downloadFunction],
    ] as const;
    for (const [source, fn] of expected) {
      expect(statementsOf(dataSourceRoleId(source)), source).toEqual([{ actions: ['lambda:InvokeFunction'], resource: getAtt(fn.function, 'Arn') }]);
    }
  });

  it("lets AppSync write to its API's log group only", () => {
    const { LogConfig } = propertiesOf(logicalId(files.stack.graphql.api));
    const [[logGroupId]] = ofType('AWS::Logs::LogGroup').filter(([, g]) => JSON.stringify(g.Properties.LogGroupName ?? '').includes('/aws/appsync/apis/'));
    expect(statementsOf(LogConfig.CloudWatchLogsRoleArn['Fn::GetAtt'][0])).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
    ]);
  });

  it('has exactly those roles, none with a managed policy, and no wildcard action or resource anywhere', () => {
    const { uploadFunction, largeUploadFunction, deleteFileFunction, downloadFunction, restUploadFunction, reconciler, graphql } = files.stack;
    const roles = ofType('AWS::IAM::Role');
    expect(roles.map(([id]) => id).sort()).toEqual(
      [
        roleId(uploadFunction.role),
        roleId(largeUploadFunction.role),
        roleId(deleteFileFunction.role),
        roleId(downloadFunction.role),
        roleId(restUploadFunction.role),
        roleId(reconciler.bundled.role),
        dataSourceRoleId('FileTable'),
        dataSourceRoleId('UploadFunction'),
        dataSourceRoleId('LargeUploadFunction'),
        dataSourceRoleId('DeleteFunction'),
        dataSourceRoleId('DownloadFunction'),
        propertiesOf(logicalId(graphql.api)).LogConfig.CloudWatchLogsRoleArn['Fn::GetAtt'][0],
      ].sort(),
    );
    for (const [, role] of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    for (const [id] of roles) {
      for (const { actions, resource } of statementsOf(id)) {
        expect(actions.filter((a) => a.includes('*'))).toEqual([]);
        expect(resource).not.toBe('*');
      }
    }
  });
});

describe('the Lambdas', () => {
  it('run the bundles on nodejs24.x with the storage settings functions/core/config.ts reads', () => {
    const { storage, graphql, uploadFunction, largeUploadFunction, deleteFileFunction, downloadFunction, restUploadFunction, reconciler } = files.stack;
    const storageEnvironment = { FILES_TABLE: ref(storage.table), FILES_BUCKET: ref(storage.bucket), NODE_OPTIONS: '--enable-source-maps' };
    const expected = [
      [uploadFunction, storageEnvironment],
      [largeUploadFunction, storageEnvironment],
      [deleteFileFunction, storageEnvironment],
      [downloadFunction, storageEnvironment],
      [restUploadFunction, { ...storageEnvironment, GRAPHQL_URL: getAtt(graphql.api, 'GraphQLUrl') }],
      [reconciler.bundled, storageEnvironment],
    ] as const;
    for (const [fn, environment] of expected) {
      const properties = propertiesOf(logicalId(fn.function));
      expect(properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', LoggingConfig: { LogGroup: ref(fn.logGroup) } });
      expect(properties.Environment.Variables).toEqual(environment);
    }
  });
});

describe('the reconciler', () => {
  it('runs every hour from an EventBridge rule, without retries, for up to 5 minutes', () => {
    const { bundled, rule } = files.stack.reconciler;
    expect(propertiesOf(logicalId(rule))).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [{ Arn: getAtt(bundled.function, 'Arn'), RetryPolicy: { MaximumRetryAttempts: 0 } }],
    });
    expect(propertiesOf(logicalId(bundled.function)).Timeout).toBe(300);
    const [[, permission]] = ofType('AWS::Lambda::Permission').filter(
      ([, p]) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(getAtt(bundled.function, 'Arn')),
    );
    expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: getAtt(rule, 'Arn') });
  });

  it('raises an alarm when a run fails', () => {
    const { bundled, errorsAlarm } = files.stack.reconciler;
    expect(propertiesOf(logicalId(errorsAlarm))).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(bundled.function) }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('the GraphQL API', () => {
  it('authorizes with the user pool by default, API key and IAM as additional modes', () => {
    expect(propertiesOf(logicalId(files.stack.graphql.api))).toMatchObject({
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      UserPoolConfig: { UserPoolId: ref(files.stack.auth.userPool), DefaultAction: 'ALLOW' },
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'API_KEY' }, { AuthenticationType: 'AWS_IAM' }],
    });
  });

  it('gives the API key an expiry a year ahead, the most AppSync allows', () => {
    const [[, key]] = ofType('AWS::AppSync::ApiKey');
    const daysAhead = (key.Properties.Expires - Date.now() / 1000) / 86_400;
    expect(daysAhead).toBeGreaterThan(364.9);
    // Expiration rounds to whole seconds.
    expect(daysAhead).toBeLessThanOrEqual(365 + 1 / 86_400);
  });

  it('logs errors and traces with X-Ray', () => {
    expect(propertiesOf(logicalId(files.stack.graphql.api))).toMatchObject({
      XrayEnabled: true,
      LogConfig: { FieldLogLevel: 'ERROR' },
    });
  });

  it('deploys schema/schema.graphql with only the SDL constructs AppSync documents', () => {
    const [[, schema], ...others] = ofType('AWS::AppSync::GraphQLSchema');
    expect(others).toEqual([]);
    expect(schema.Properties.Definition).toContain('type Query');
    expect(undocumentedSchemaConstructs(schema.Properties.Definition)).toEqual([]);
  });

  it('has one APPSYNC_JS pipeline resolver per definition entry and one function per pipeline function', () => {
    const appsyncJs = { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' };
    const deployedResolvers = ofType('AWS::AppSync::Resolver').map(([, r]) => r.Properties);
    expect(deployedResolvers).toHaveLength(resolvers.length);
    for (const resolver of deployedResolvers) expect(resolver).toMatchObject({ Kind: 'PIPELINE', Runtime: appsyncJs });
    const deployedFunctions = ofType('AWS::AppSync::FunctionConfiguration').map(([, f]) => f.Properties);
    expect(deployedFunctions).toHaveLength(Object.keys(pipelineFunctions).length);
    for (const fn of deployedFunctions) expect(fn.Runtime).toEqual(appsyncJs);
  });

  it('batches signDownloadUrl (MaxBatchSize 100) and no other function or resolver', () => {
    const batched = ofType('AWS::AppSync::FunctionConfiguration')
      .map(([, f]) => f.Properties)
      .filter((f) => f.MaxBatchSize !== undefined)
      .map((f) => [f.Name, f.MaxBatchSize]);
    expect(batched).toEqual([['signDownloadUrl', 100]]);
    for (const [, r] of ofType('AWS::AppSync::Resolver')) expect(r.Properties.MaxBatchSize).toBeUndefined();
  });

  it('resolves File.downloadUrl, a field of an object type, with the signDownloadUrl pipeline on the DownloadFunction data source', () => {
    const [[, resolver], ...others] = ofType('AWS::AppSync::Resolver').filter(([, r]) => r.Properties.TypeName === 'File');
    expect(others).toEqual([]);
    expect(resolver.Properties).toMatchObject({ TypeName: 'File', FieldName: 'downloadUrl', Kind: 'PIPELINE' });
    const [functionId, ...more] = resolver.Properties.PipelineConfig.Functions.map((f: { 'Fn::GetAtt': [string, string] }) => f['Fn::GetAtt'][0]);
    expect(more).toEqual([]);
    expect(propertiesOf(functionId)).toMatchObject({ Name: 'signDownloadUrl', DataSourceName: 'DownloadFunction' });
  });
});

describe('Cognito', () => {
  it('has a user pool without self sign-up, requiring MFA and strong passwords', () => {
    expect(propertiesOf(logicalId(files.stack.auth.userPool))).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
      DeletionProtection: 'ACTIVE',
    });
  });

  it('has a browser app client without secret, and the admins group', () => {
    expect(propertiesOf(logicalId(files.stack.auth.client))).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', UserPoolId: ref(files.stack.auth.userPool) });
  });
});

describe('the REST endpoint', () => {
  it('routes POST /upload through a JWT authorizer on the app client to the restUpload Lambda (payload 2.0)', () => {
    const { auth, restUploadFunction } = files.stack;
    const [[authorizerId, authorizer]] = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [ref(auth.client)],
        Issuer: joined('https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', ref(auth.userPool)),
      },
    });
    const [[, route], ...otherRoutes] = ofType('AWS::ApiGatewayV2::Route');
    expect(otherRoutes).toEqual([]);
    expect(route.Properties).toMatchObject({ RouteKey: 'POST /upload', AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref;
    expect(propertiesOf(integrationId)).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: getAtt(restUploadFunction.function, 'Arn'),
    });
  });

  it('answers no CORS (legacy clients are programs, not browsers; the README says so): no CorsConfiguration, no OPTIONS route', () => {
    const [[, httpApi], ...others] = ofType('AWS::ApiGatewayV2::Api');
    expect(others).toEqual([]);
    expect(httpApi.Properties.CorsConfiguration).toBeUndefined();
    expect(ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey)).toEqual(['POST /upload']);
  });

  it('throttles and writes JSON access logs on its one stage', () => {
    const [[, stage], ...others] = ofType('AWS::ApiGatewayV2::Stage');
    expect(others).toEqual([]);
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
    });
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId' });
  });
});

describe('the outputs', () => {
  it('name the endpoints, the user pool and client, the bucket and the table', () => {
    const { graphql, rest, auth, storage } = files.stack;
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.Value]))).toEqual({
      GraphQLUrl: getAtt(graphql.api, 'GraphQLUrl'),
      RealtimeUrl: getAtt(graphql.api, 'RealtimeUrl'),
      GraphQLApiId: getAtt(graphql.api, 'ApiId'),
      RestUrl: joined('https://', ref(rest.httpApi), '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/upload'),
      UserPoolId: ref(auth.userPool),
      UserPoolClientId: ref(auth.client),
      BucketName: ref(storage.bucket),
      TableName: ref(storage.table),
    });
  });
});

describe('a throwaway stack with its own CORS origins and a renamed API key', () => {
  let throwaway: FilesApp;
  let json: Record<string, Resource>;
  beforeAll(() => {
    throwaway = filesApp({ deletionProtection: false, corsAllowedOrigins: ['https://app.example.com'], apiKeyName: 'Rotated' });
    json = Template.fromStack(throwaway.stack).toJSON().Resources;
  });
  afterAll(() => throwaway.dispose());

  it('lets the table and the user pool be deleted with the stack', () => {
    const table = json[logicalId(throwaway.stack.storage.table)];
    const userPool = json[logicalId(throwaway.stack.auth.userPool)];
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table.DeletionPolicy).toBe('Delete');
    expect(userPool.Properties.DeletionProtection).toBe('INACTIVE');
    expect(userPool.DeletionPolicy).toBe('Delete');
  });

  it('allows only its origins to use the bucket from a browser', () => {
    const [rule] = json[logicalId(throwaway.stack.storage.bucket)].Properties.CorsConfiguration.CorsRules;
    expect(rule.AllowedOrigins).toEqual(['https://app.example.com']);
  });

  it('replaces the API key: a new resource, so a new value', () => {
    const keyIds = (all: Record<string, Resource>) => Object.keys(all).filter((id) => all[id].Type === 'AWS::AppSync::ApiKey');
    const [rotated] = keyIds(json);
    expect(rotated).toMatch(/Rotated/);
    expect(keyIds(resources)).not.toContain(rotated);
  });
});
