/**
 * `@aws-appsync/utils/dynamodb`: helpers that build DynamoDB data-source
 * requests from plain objects. Names follow AppSync's output as recorded
 * from its EvaluateCode API (`#expName_1`, `:expValue_1`, `#field`, `:field_eq`).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { toDynamoDB, toMapValues } from './dynamodb-values';
import { toDynamoDBExpression, type DynamoDBExpression } from './transform';

type Plain = Record<string, unknown>;

interface Operation {
  type: string;
  value?: unknown;
  by?: number;
  items?: unknown[];
  index?: number;
}

export const operations = {
  add: (value: unknown): Operation => ({ type: 'OPERATION_ADD', value }),
  remove: (): Operation => ({ type: 'OPERATION_REMOVE' }),
  replace: (value: unknown): Operation => ({ type: 'OPERATION_REPLACE', value }),
  increment: (by = 1): Operation => ({ type: 'OPERATION_INCREMENT', by }),
  decrement: (by = 1): Operation => ({ type: 'OPERATION_DECREMENT', by }),
  append: (items: unknown[]): Operation => ({ type: 'OPERATION_APPEND', items }),
  prepend: (items: unknown[]): Operation => ({ type: 'OPERATION_PREPEND', items }),
  updateListItem: (value: unknown, index: number): Operation => ({ type: 'OPERATION_UPDATE_LIST_ITEM', value, index }),
};

const isOperation = (value: unknown): value is Operation =>
  typeof value === 'object' && value !== null && typeof (value as Operation).type === 'string' && (value as Operation).type.startsWith('OPERATION_');

const projectionOf = (fields?: string[]) =>
  fields?.length
    ? {
        projection: {
          expression: fields.map((_, i) => `#projection_${i}`).join(', '),
          expressionNames: Object.fromEntries(fields.map((f, i) => [`#projection_${i}`, f])),
        },
      }
    : {};

const conditionOf = (condition?: Plain | null) => (condition ? { condition: toDynamoDBExpression(condition) } : {});

export function get(input: { key: Plain; consistentRead?: boolean; projection?: string[] }) {
  return {
    operation: 'GetItem' as const,
    key: toMapValues(input.key),
    ...(input.consistentRead !== undefined ? { consistentRead: input.consistentRead } : {}),
    ...projectionOf(input.projection),
  };
}

export function put(input: { key: Plain; item: Plain; condition?: Plain | null }) {
  return { operation: 'PutItem' as const, key: toMapValues(input.key), attributeValues: toMapValues(input.item), ...conditionOf(input.condition) };
}

export function remove(input: { key: Plain; condition?: Plain | null }) {
  return { operation: 'DeleteItem' as const, key: toMapValues(input.key), ...conditionOf(input.condition) };
}

export function update(input: { key: Plain; update: Plain; condition?: Plain | null }) {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const set: string[] = [];
  const removed: string[] = [];
  let n = 0;
  for (const [field, change] of Object.entries(input.update)) {
    n += 1;
    const name = `#expName_${n}`;
    const value = `:expValue_${n}`;
    names[name] = field;
    if (change === null || (isOperation(change) && change.type === 'OPERATION_REMOVE')) {
      removed.push(name);
      continue;
    }
    const op = isOperation(change) ? change : operations.replace(change);
    switch (op.type) {
      case 'OPERATION_INCREMENT':
      case 'OPERATION_DECREMENT':
        values[value] = toDynamoDB(op.by);
        set.push(`${name} = ${name} ${op.type === 'OPERATION_INCREMENT' ? '+' : '-'} ${value}`);
        break;
      case 'OPERATION_APPEND':
      case 'OPERATION_PREPEND':
        values[value] = toDynamoDB(op.items);
        set.push(op.type === 'OPERATION_APPEND' ? `${name} = list_append(${name}, ${value})` : `${name} = list_append(${value}, ${name})`);
        break;
      case 'OPERATION_UPDATE_LIST_ITEM':
        values[value] = toDynamoDB(op.value);
        set.push(`${name}[${op.index}] = ${value}`);
        break;
      default:
        values[value] = toDynamoDB(op.value);
        set.push(`${name} = ${value}`);
    }
  }
  const clauses = [set.length ? `SET ${set.join(', ')}` : '', removed.length ? `REMOVE ${removed.join(', ')}` : ''].filter(Boolean);
  const expression: DynamoDBExpression = {
    expression: clauses.join(' '),
    expressionNames: names,
    ...(Object.keys(values).length ? { expressionValues: values } : {}),
  };
  return { operation: 'UpdateItem' as const, key: toMapValues(input.key), update: expression, ...conditionOf(input.condition) };
}

interface ReadInput {
  index?: string | null;
  limit?: number | null;
  filter?: Plain | null;
  nextToken?: string | null;
  consistentRead?: boolean | null;
  projection?: string[];
  select?: string;
  scanIndexForward?: boolean | null;
  segment?: number;
  totalSegments?: number;
}

function readOptions(input: ReadInput) {
  const passThrough = ['index', 'limit', 'nextToken', 'consistentRead', 'select', 'scanIndexForward', 'segment', 'totalSegments'] as const;
  const options: Plain = {};
  for (const key of passThrough) {
    if (input[key] !== undefined && input[key] !== null) options[key] = input[key];
  }
  if (input.filter) options.filter = toDynamoDBExpression(input.filter);
  return { ...options, ...projectionOf(input.projection) };
}

export function query(input: ReadInput & { query: Plain }) {
  return { operation: 'Query' as const, query: toDynamoDBExpression(input.query), ...readOptions(input) };
}

export function scan(input: ReadInput) {
  return { operation: 'Scan' as const, ...readOptions(input) };
}

export const toStringSet = (values: string[]): AttributeValue => ({ SS: values });
export const toNumberSet = (values: number[]): AttributeValue => ({ NS: values.map(String) });
export const toBinarySet = (values: string[]): AttributeValue => ({ BS: values.map((v) => Buffer.from(v, 'base64')) });
