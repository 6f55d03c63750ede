/**
 * The AMAZON_DYNAMODB data source: AppSync's request objects (GetItem,
 * PutItem, UpdateItem, DeleteItem, Query, Scan) become real DynamoDB calls
 * through the AWS SDK, and the answers take the shapes resolvers see on AWS.
 */
import {
  DeleteItemCommand,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { fromMapValues } from '../appsync-js/dynamodb-values';
import type { DataSource, DataSourceOutcome } from '../appsync-js/execute-resolver';
import type { DynamoDBExpression } from '../appsync-js/transform';
import { appsyncDynamoDBError, invalidPaginationToken } from './dynamodb-errors';
import type { NextTokenCodec } from './next-token';

type Item = Record<string, AttributeValue>;

interface ReadRequest {
  index?: string;
  limit?: number;
  nextToken?: string;
  consistentRead?: boolean;
  select?: 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES';
  scanIndexForward?: boolean;
  filter?: DynamoDBExpression;
  projection?: DynamoDBExpression;
  segment?: number;
  totalSegments?: number;
}

type Request =
  | { operation: 'GetItem'; key: Item; consistentRead?: boolean; projection?: DynamoDBExpression }
  | { operation: 'PutItem'; key: Item; attributeValues?: Item; condition?: DynamoDBExpression }
  | { operation: 'UpdateItem'; key: Item; update: DynamoDBExpression; condition?: DynamoDBExpression }
  | { operation: 'DeleteItem'; key: Item; condition?: DynamoDBExpression }
  | ({ operation: 'Query'; query: DynamoDBExpression } & ReadRequest)
  | ({ operation: 'Scan' } & ReadRequest);

/** Merges the names and values of several expressions into one SDK input. */
function expressionInput(
  parts: Partial<
    Record<'KeyConditionExpression' | 'FilterExpression' | 'ConditionExpression' | 'UpdateExpression' | 'ProjectionExpression', DynamoDBExpression | undefined>
  >,
) {
  const input: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  const values: Item = {};
  for (const [field, expression] of Object.entries(parts)) {
    if (!expression) continue;
    input[field] = expression.expression;
    Object.assign(names, expression.expressionNames);
    Object.assign(values, expression.expressionValues);
  }
  if (Object.keys(names).length) input.ExpressionAttributeNames = names;
  if (Object.keys(values).length) input.ExpressionAttributeValues = values;
  return input;
}

const itemOrNull = (item: Item | undefined) => (item ? fromMapValues(item) : null);

export function dynamoDBDataSource(options: { client: DynamoDBClient; tableName: string; tokens: NextTokenCodec }): DataSource {
  const { client, tableName: TableName, tokens } = options;

  async function read(request: Extract<Request, { operation: 'Query' | 'Scan' }>): Promise<DataSourceOutcome> {
    const scope = `${TableName}/${request.index ?? ''}/${request.operation}`;
    const startKey = request.nextToken ? tokens.decode(request.nextToken, scope) : undefined;
    if (request.nextToken && !startKey) return { error: invalidPaginationToken };
    const common = {
      TableName,
      IndexName: request.index,
      Limit: request.limit,
      ExclusiveStartKey: startKey,
      ConsistentRead: request.consistentRead,
      Select: request.select,
    };
    const output =
      request.operation === 'Query'
        ? await client.send(
            new QueryCommand({
              ...common,
              ScanIndexForward: request.scanIndexForward,
              ...expressionInput({ KeyConditionExpression: request.query, FilterExpression: request.filter, ProjectionExpression: request.projection }),
            }),
          )
        : await client.send(
            new ScanCommand({
              ...common,
              Segment: request.segment,
              TotalSegments: request.totalSegments,
              ...expressionInput({ FilterExpression: request.filter, ProjectionExpression: request.projection }),
            }),
          );
    return {
      result: {
        items: (output.Items ?? []).map(fromMapValues),
        nextToken: output.LastEvaluatedKey ? tokens.encode(output.LastEvaluatedKey, scope) : null,
        scannedCount: output.ScannedCount ?? 0,
      },
    };
  }

  async function execute(request: Request): Promise<DataSourceOutcome> {
    switch (request.operation) {
      case 'GetItem': {
        const output = await client.send(
          new GetItemCommand({
            TableName,
            Key: request.key,
            ConsistentRead: request.consistentRead,
            ...expressionInput({ ProjectionExpression: request.projection }),
          }),
        );
        return { result: itemOrNull(output.Item) };
      }
      case 'PutItem': {
        // AppSync writes the key and the attribute values together and answers with the item written.
        const item = { ...request.attributeValues, ...request.key };
        await client.send(new PutItemCommand({ TableName, Item: item, ...expressionInput({ ConditionExpression: request.condition }) }));
        return { result: fromMapValues(item) };
      }
      case 'UpdateItem': {
        const output = await client.send(
          new UpdateItemCommand({
            TableName,
            Key: request.key,
            ReturnValues: 'ALL_NEW',
            ...expressionInput({ UpdateExpression: request.update, ConditionExpression: request.condition }),
          }),
        );
        return { result: itemOrNull(output.Attributes) };
      }
      case 'DeleteItem': {
        const output = await client.send(
          new DeleteItemCommand({ TableName, Key: request.key, ReturnValues: 'ALL_OLD', ...expressionInput({ ConditionExpression: request.condition }) }),
        );
        return { result: itemOrNull(output.Attributes) };
      }
      case 'Query':
      case 'Scan':
        return read(request);
      default:
        return {
          error: {
            type: 'DynamoDB:UnsupportedOperation',
            message: `The local DynamoDB data source does not support operation "${(request as { operation: string }).operation}".`,
          },
        };
    }
  }

  return {
    async invoke(request) {
      try {
        return await execute(request as Request);
      } catch (error) {
        if (error instanceof DynamoDBServiceException) return { error: appsyncDynamoDBError(error) };
        throw error;
      }
    },
  };
}
