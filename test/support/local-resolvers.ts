import { beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { bundlePaths } from '../../infra/bundle';
import { executeResolver, type FieldOutcome, type PipelineResolver } from '../../local/appsync-js/execute-resolver';
import { loadLambdaHandler, type LambdaHandler } from '../../local/data-sources/lambda';
import { dataSourceLambdas, type DataSourceLambdaName } from '../../infra/api-definition';
import { localLambdaEnvironment } from '../../local/lambda-environment';
import { loadResolvers } from '../../local/load-resolvers';
import { authTypeOf } from './identities';
import type { StorageFixture } from './storage';

export interface FieldCall {
  arguments: Record<string, unknown>;
  identity: unknown;
}

/**
 * The bundled resolvers (dist/), loaded by the local APPSYNC_JS runtime and
 * bound to the fixture's dynalite table; `call('Query.file', …)` runs one field.
 */
export function useLocalResolvers(fixture: StorageFixture) {
  let resolvers: Map<string, PipelineResolver>;
  beforeAll(async () => {
    const env = localLambdaEnvironment(fixture.storage);
    resolvers = await loadResolvers({
      dynamodb: fixture.clients.dynamodb,
      tableName: fixture.storage.tableName,
      nextTokenKey: randomBytes(32),
      lambdas: Object.fromEntries(
        await Promise.all(dataSourceLambdas.map(async (name) => [name, await loadLambdaHandler(bundlePaths.lambda(name), env)] as const)),
      ) as Record<DataSourceLambdaName, LambdaHandler>,
    });
  });
  return {
    call(field: string, { arguments: args, identity }: FieldCall): Promise<FieldOutcome> {
      const resolver = resolvers.get(field);
      if (!resolver) throw new Error(`no resolver for ${field}`);
      const [parentTypeName, fieldName] = field.split('.');
      return executeResolver(resolver, {
        arguments: args,
        identity,
        source: null,
        request: { headers: {}, domainName: null },
        info: { fieldName, parentTypeName, variables: args, selectionSetList: [], selectionSetGraphQL: '' },
        authType: authTypeOf(identity),
      });
    },
  };
}
