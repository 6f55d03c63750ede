/** The local AMAZON_DYNAMODB data source passes consistentRead to DynamoDB (dynalite) and gets DynamoDB's answer. */
import type { GetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dynamoDBDataSource } from '../../local/data-sources/dynamodb';
import { nextTokenCodec } from '../../local/data-sources/next-token';
import { fileRow, seedRows } from '../support/file-rows';
import { recordCommands } from '../support/sdk-requests';
import { useEmbeddedStorage } from '../support/storage';

const storage = useEmbeddedStorage();
/** One request to the data source; DynamoDB requests need no resolver context. */
const invoke = (request: unknown) =>
  dynamoDBDataSource({ client: storage.clients.dynamodb, tableName: storage.storage.tableName, tokens: nextTokenCodec(randomBytes(32)) }).invoke(
    request,
    {} as never,
    {} as never,
  );

describe('the local DynamoDB data source', () => {
  it("sends GetItem's consistentRead as DynamoDB's ConsistentRead, and leaves it out (eventually consistent) when not asked", async () => {
    const row = fileRow('p1', '2026-03-01T00:00:00.000Z');
    await seedRows(storage, [row]);
    const sent = recordCommands<GetItemCommandInput>(storage.clients.dynamodb, 'GetItemCommand');
    try {
      const key = { fileID: { S: row.fileID } };
      expect(await invoke({ operation: 'GetItem', key, consistentRead: true })).toEqual({ result: row });
      expect(await invoke({ operation: 'GetItem', key })).toEqual({ result: row });
      expect(sent.inputs.map((input) => input.ConsistentRead)).toEqual([true, undefined]);
    } finally {
      sent.stop();
    }
  });

  it('refuses a consistent Query of a global secondary index, as DynamoDB does', async () => {
    const outcome = await invoke({
      operation: 'Query',
      index: 'byProject',
      consistentRead: true,
      query: { expression: '#p = :p', expressionNames: { '#p': 'projectID' }, expressionValues: { ':p': { S: 'p1' } } },
    });
    // As AppSync hands it over: ValidationException is not modeled by the Java SDK it uses (local/data-sources/dynamodb-errors.ts).
    expect(outcome).toEqual({
      error: {
        type: 'DynamoDB:DynamoDbException',
        message: expect.stringMatching(
          /^Consistent reads are not supported on global secondary indexes \(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$/,
        ),
      },
    });
  });
});
