import { Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/*
 * AppSync data sources with least-privilege roles. CDK's DynamoDbDataSource
 * and LambdaDataSource grant on construction — grantReadWriteData (batch,
 * scan and write actions on the table and every index) and grantInvoke (the
 * function and all its versions, `…:*`). TableDataSource grants nothing: the
 * caller names the exact reads its resolvers make. FunctionDataSource grants
 * invoke on the one ARN AppSync calls.
 */

export interface TableDataSourceProps {
  api: appsync.IGraphqlApi;
  name: string;
  table: dynamodb.ITable;
}

export class TableDataSource extends appsync.BackedDataSource {
  constructor(scope: Construct, id: string, props: TableDataSourceProps) {
    super(
      scope,
      id,
      { api: props.api, name: props.name },
      { type: 'AMAZON_DYNAMODB', dynamoDbConfig: { tableName: props.table.tableName, awsRegion: Stack.of(props.table).region } },
    );
  }
}

export interface FunctionDataSourceProps {
  api: appsync.IGraphqlApi;
  name: string;
  function: lambda.IFunction;
}

export class FunctionDataSource extends appsync.BackedDataSource {
  constructor(scope: Construct, id: string, props: FunctionDataSourceProps) {
    super(scope, id, { api: props.api, name: props.name }, { type: 'AWS_LAMBDA', lambdaConfig: { lambdaFunctionArn: props.function.functionArn } });
    // AppSync invokes the unqualified ARN it is configured with; no version or alias is needed.
    this.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.function.functionArn] }));
  }
}
