import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundlePaths } from '../../infra/bundle';
import { executeResolver, type DataSourceCall, type ResolverContext } from '../../local/appsync-js/execute-resolver';
import { loadResolverCode } from '../../local/appsync-js/load-code';
import { dynamoDBDataSource } from '../../local/data-sources/dynamodb';
import { nextTokenCodec } from '../../local/data-sources/next-token';
import { useEmbeddedStorage } from '../support/storage';

const fixture = useEmbeddedStorage();
const call: DataSourceCall = { functionName: 'f', requestScope: {} };
const ctx = {} as ResolverContext;
const tableSource = (tableName = fixture.storage.tableName) =>
  dynamoDBDataSource({ client: fixture.clients.dynamodb, tableName, tokens: nextTokenCodec(randomBytes(32)) });
const byProject = {
  operation: 'Query',
  index: 'byProject',
  query: { expression: '#p = :p', expressionNames: { '#p': 'projectID' }, expressionValues: { ':p': { S: 'p' } } },
};

describe("the local DynamoDB data source fails as AppSync's does (ctx.error)", () => {
  it("a nextToken it cannot decrypt: DynamoDB:UserIllegalArgumentException, with AppSync's Java message", async () => {
    const outcome = await tableSource().invoke({ ...byProject, nextToken: 'forged-token-forged-token-forged-token' }, ctx, call);

    expect(outcome).toEqual({
      error: {
        type: 'DynamoDB:UserIllegalArgumentException',
        message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
      },
    });
  });

  it("an error the Java SDK does not model (ValidationException): DynamoDB:DynamoDbException, the SDK's suffix on the message", async () => {
    const outcome = await tableSource().invoke({ operation: 'GetItem', key: { fileID: { S: '' } } }, ctx, call);

    expect(outcome.error?.type).toBe('DynamoDB:DynamoDbException');
    expect(outcome.error?.message).toMatch(/^One or more parameter values .*\(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$/);
  });

  it('a modeled one keeps its name: DynamoDB:ConditionalCheckFailedException', async () => {
    const put = { operation: 'PutItem', key: { fileID: { S: 'once' } }, attributeValues: {}, condition: { expression: 'attribute_not_exists(fileID)' } };
    await tableSource().invoke(put, ctx, call);

    const outcome = await tableSource().invoke(put, ctx, call);

    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(outcome.error?.message).toMatch(/\(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$/);
  });

  it("resolvers turn a table failure into the schema's InternalFailure, not AppSync's DynamoDB:… type", async () => {
    const pass = { request: () => ({}), response: (c: unknown) => (c as ResolverContext).prev.result };
    const getFile = { name: 'getFile', code: await loadResolverCode(bundlePaths.pipelineFunction('getFile')), dataSource: tableSource('no-such-table') };

    const outcome = await executeResolver(
      { name: 'Query.file', code: pass, functions: [getFile] },
      {
        arguments: { fileID: 'f1' },
        identity: null,
        source: null,
        request: { headers: {}, domainName: null },
        info: { fieldName: 'file', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
        authType: 'API Key Authorization',
      },
    );

    expect(outcome).toEqual({
      data: null,
      errors: [
        {
          errorType: 'InternalFailure',
          message: 'The file table could not be used (DynamoDB:ResourceNotFoundException). Retry; if it persists, the service log has the details.',
        },
      ],
    });
  });
});
