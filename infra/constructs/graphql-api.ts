import { Duration, Expiration, Validations } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, Kind, OperationTypeNode } from 'graphql';
import {
  dataSources,
  pipelineFunctions,
  requestLimits,
  resolverCodeName,
  resolvers,
  type DataSourceLambdaName,
  type DataSourceName,
  type PipelineFunctionName,
} from '../api-definition';
import { assertAppSyncSchema } from '../appsync-schema';
import { bundlePaths, projectRoot } from '../bundle';
import type { Auth } from './auth';
import { LOG_RETENTION } from './bundled-function';
import { FunctionDataSource, TableDataSource } from './data-sources';
import type { FileStorage } from './storage';

export interface FilesGraphqlApiProps {
  auth: Auth;
  storage: FileStorage;
  /** The Lambdas the definition's AWS_LAMBDA data sources name. */
  functions: Record<DataSourceLambdaName, lambda.IFunction>;
  /** Names the API key resource: a new name replaces the key, which rotates its value. */
  apiKeyName: string;
}

/**
 * AppSync's quota on the code of one resolver or function: 32,000 characters in its
 * table of service quotas (the API reference's field allows 32,768; the lower figure holds for both).
 */
export const MAX_CODE_CHARS = 32_000;

/**
 * APPSYNC_JS code from its bundle in dist/, inline in the template: `cdk diff`
 * shows code changes, no S3 asset per file, and the template holds exactly
 * the bytes the local runtime executes.
 */
export function bundledCode(file: string): appsync.Code {
  const code = readFileSync(file, 'utf8');
  if (code.length > MAX_CODE_CHARS) {
    throw new Error(`${path.relative(projectRoot, file)} is ${code.length} characters; AppSync accepts at most ${MAX_CODE_CHARS}.`);
  }
  return appsync.Code.fromInline(code);
}

const rootTypeOf: Record<OperationTypeNode, string> = {
  [OperationTypeNode.QUERY]: 'Query',
  [OperationTypeNode.MUTATION]: 'Mutation',
  [OperationTypeNode.SUBSCRIPTION]: 'Subscription',
};

/**
 * The GraphQL API: schema/schema.graphql, wired exactly as infra/api-definition.ts
 * says — every resolver a pipeline of the declared functions on the declared
 * data sources, all code from the esbuild bundle.
 */
export class FilesGraphqlApi extends Construct {
  readonly api: appsync.GraphqlApi;

  constructor(scope: Construct, id: string, props: FilesGraphqlApiProps) {
    super(scope, id);

    const schemaFile = path.join(projectRoot, 'schema', 'schema.graphql');
    assertAppSyncSchema(readFileSync(schemaFile, 'utf8'), path.relative(projectRoot, schemaFile));
    this.api = new appsync.GraphqlApi(this, 'Api', {
      name: 'codecraft-files',
      definition: appsync.Definition.fromFile(schemaFile),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: appsync.AuthorizationType.USER_POOL,
          userPoolConfig: {
            userPool: props.auth.userPool,
            // Only tokens issued to this stack's app client.
            appIdClientRegex: `^${props.auth.client.userPoolClientId}$`,
            defaultAction: appsync.UserPoolDefaultAction.ALLOW,
          },
        },
        additionalAuthorizationModes: [
          {
            authorizationType: appsync.AuthorizationType.API_KEY,
            apiKeyConfig: {
              name: props.apiKeyName,
              description: 'Development and smoke tests. Passes every project check: treat it as a secret.',
              // Counted from synthesis: every deploy moves the expiry a year ahead (AppSync's maximum).
              expires: Expiration.after(Duration.days(365)),
            },
          },
          { authorizationType: appsync.AuthorizationType.IAM },
        ],
      },
      xrayEnabled: true,
      resolverCountLimit: requestLimits.resolverCount,
      queryDepthLimit: requestLimits.queryDepth,
    });
    this.enableLogging();

    const sources = this.addDataSources(props);
    const functions = this.addPipelineFunctions(sources);
    this.addResolvers(functions);
  }

  /** wss:// endpoint for subscriptions, as AppSync reports it. */
  get realtimeUrl(): string {
    return (this.api.node.defaultChild as appsync.CfnGraphQLApi).attrRealtimeUrl;
  }

  /** Lets `grantee` send `operation` (a GraphQL document) with IAM auth: appsync:GraphQL on exactly its root fields. */
  grantOperation(grantee: iam.IGrantable, operation: string): void {
    for (const definition of parse(operation).definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const fields = definition.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
      this.api.grant(grantee, appsync.IamResource.ofType(rootTypeOf[definition.operation], ...fields), 'appsync:GraphQL');
    }
  }

  /**
   * Request and error logging into a log group with a retention, written by
   * a role limited to that group. Set on the L1 resource because the L2
   * `logConfig` always adds a LogRetention custom resource (a Lambda with
   * logs permissions on every log group) and a role with a managed policy.
   */
  private enableLogging(): void {
    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The name AppSync writes to.
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: LOG_RETENTION,
    });
    const role = new iam.Role(this, 'LogsRole', { assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    (this.api.node.defaultChild as appsync.CfnGraphQLApi).logConfig = {
      cloudWatchLogsRoleArn: role.roleArn,
      fieldLogLevel: appsync.FieldLogLevel.ERROR,
      excludeVerboseContent: true,
    };
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-ASC3',
      reason:
        'Request-level and field-error logging is on (fieldLogLevel ERROR, with a CloudWatch role). The rule also requires verbose content, which copies resolver context into the logs: the arguments of uploadFile, whose contentBase64 holds up to 900 KB of a customer file, and the request headers. Excluding it keeps file contents and request headers out of CloudWatch; errors are still logged with type, message, path and request ID.',
    });
  }

  private addDataSources(props: FilesGraphqlApiProps): Record<DataSourceName, appsync.BaseDataSource> {
    const scope = new Construct(this, 'DataSources');
    const create = (name: DataSourceName): appsync.BaseDataSource => {
      const definition = dataSources[name];
      switch (definition.kind) {
        case 'AMAZON_DYNAMODB': {
          const source = new TableDataSource(scope, name, { api: this.api, name, table: props.storage.table });
          props.storage.grantResolverReads(source);
          return source;
        }
        case 'AWS_LAMBDA':
          return new FunctionDataSource(scope, name, { api: this.api, name, function: props.functions[definition.lambda] });
        case 'NONE':
          return new appsync.NoneDataSource(scope, name, { api: this.api, name });
      }
    };
    return Object.fromEntries((Object.keys(dataSources) as DataSourceName[]).map((name) => [name, create(name)])) as Record<
      DataSourceName,
      appsync.BaseDataSource
    >;
  }

  private addPipelineFunctions(sources: Record<DataSourceName, appsync.BaseDataSource>): Record<PipelineFunctionName, appsync.AppsyncFunction> {
    const scope = new Construct(this, 'Functions');
    const names = Object.keys(pipelineFunctions) as PipelineFunctionName[];
    return Object.fromEntries(
      names.map((name) => {
        const definition = pipelineFunctions[name];
        const fn = new appsync.AppsyncFunction(scope, name, {
          api: this.api,
          name,
          dataSource: sources[definition.dataSource],
          code: bundledCode(bundlePaths.pipelineFunction(name)),
          runtime: appsync.FunctionRuntime.JS_1_0_0,
        });
        if ('maxBatchSize' in definition) {
          // A batched Lambda function: AppSync sends BatchInvoke events of up to this many payloads. Set on the
          // L1 resource because the L2 prop accepts only CDK's LambdaDataSource, whose grant FunctionDataSource avoids.
          (fn.node.defaultChild as appsync.CfnFunctionConfiguration).maxBatchSize = definition.maxBatchSize;
        }
        return [name, fn];
      }),
    ) as Record<PipelineFunctionName, appsync.AppsyncFunction>;
  }

  /** One pipeline resolver per definition entry: root fields, and fields of object types with code of their own (File.downloadUrl). */
  private addResolvers(functions: Record<PipelineFunctionName, appsync.AppsyncFunction>): void {
    const scope = new Construct(this, 'Resolvers');
    for (const resolver of resolvers) {
      const codeName = resolverCodeName(resolver);
      new appsync.Resolver(scope, codeName, {
        api: this.api,
        typeName: resolver.typeName,
        fieldName: resolver.fieldName,
        pipelineConfig: resolver.pipeline.map((name) => functions[name]),
        code: bundledCode(bundlePaths.resolver(codeName)),
        runtime: appsync.FunctionRuntime.JS_1_0_0,
      });
    }
  }
}
