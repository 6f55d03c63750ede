/**
 * Wires the one API definition to the local runtime: every field's bundled
 * resolver and pipeline functions, each bound to its local data source.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dataSources, pipelineFunctions, resolverCodeName, resolvers, type DataSourceLambdaName, type DataSourceName } from '../infra/api-definition';
import { bundlePaths } from '../infra/bundle';
import type { DataSource, PipelineResolver } from './appsync-js/execute-resolver';
import { loadResolverCode } from './appsync-js/load-code';
import { dynamoDBDataSource } from './data-sources/dynamodb';
import { lambdaDataSource, type InvocationCounts, type LambdaHandler } from './data-sources/lambda';
import { nextTokenCodec } from './data-sources/next-token';
import { noneDataSource } from './data-sources/none';

export interface LocalDataSourceOptions {
  dynamodb: DynamoDBClient;
  tableName: string;
  /** 32 bytes that encrypt pagination tokens. */
  nextTokenKey: Buffer;
  lambdas: Record<DataSourceLambdaName, LambdaHandler>;
  /** Counts each Lambda's invocations, when given. */
  invocations?: InvocationCounts;
}

function localDataSource(name: DataSourceName, options: LocalDataSourceOptions): DataSource {
  const definition = dataSources[name];
  switch (definition.kind) {
    case 'AMAZON_DYNAMODB':
      return dynamoDBDataSource({ client: options.dynamodb, tableName: options.tableName, tokens: nextTokenCodec(options.nextTokenKey) });
    case 'AWS_LAMBDA':
      return lambdaDataSource(definition.lambda, options.lambdas[definition.lambda], options.invocations);
    case 'NONE':
      return noneDataSource;
  }
}

/** `Type.field` → the pipeline resolver that serves it. */
export async function loadResolvers(options: LocalDataSourceOptions): Promise<Map<string, PipelineResolver>> {
  const sources = new Map((Object.keys(dataSources) as DataSourceName[]).map((name) => [name, localDataSource(name, options)]));
  const functions = new Map(
    await Promise.all(
      Object.entries(pipelineFunctions).map(async ([name, definition]) => {
        const code = await loadResolverCode(bundlePaths.pipelineFunction(name));
        const maxBatchSize = 'maxBatchSize' in definition ? definition.maxBatchSize : undefined;
        return [name, { name, code, dataSource: sources.get(definition.dataSource)!, maxBatchSize }] as const;
      }),
    ),
  );
  const loaded = await Promise.all(
    resolvers.map(async (definition) => {
      const name = resolverCodeName(definition);
      const code = await loadResolverCode(bundlePaths.resolver(name));
      return [name, { name, code, functions: definition.pipeline.map((fn) => functions.get(fn)!) }] as const;
    }),
  );
  return new Map(loaded);
}
