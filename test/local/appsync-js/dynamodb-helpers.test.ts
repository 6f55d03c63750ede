import { describe, expect, it } from 'vitest';
import * as ddb from '../../../local/appsync-js/dynamodb-helpers';

describe('@aws-appsync/utils/dynamodb (local runtime)', () => {
  it('get builds a GetItem request', () => {
    expect(ddb.get({ key: { id: 'id' } })).toEqual({ operation: 'GetItem', key: { id: { S: 'id' } } });
  });

  it('put carries the item in attributeValues and the condition as an expression', () => {
    expect(ddb.put({ key: { id: 'abc' }, item: { value: 10 }, condition: { id: { attributeExists: false } } })).toEqual({
      operation: 'PutItem',
      key: { id: { S: 'abc' } },
      attributeValues: { value: { N: '10' } },
      condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } },
    });
  });

  it('remove builds a DeleteItem request', () => {
    expect(ddb.remove({ key: { id: 'test' } })).toEqual({ operation: 'DeleteItem', key: { id: { S: 'test' } } });
  });

  it('update numbers names and values and groups SET and REMOVE clauses', () => {
    expect(
      ddb.update({
        key: { id: 'test' },
        update: { age: ddb.operations.increment(10), name: 'Ada', tags: ddb.operations.append(['x']), nickname: ddb.operations.remove() },
      }),
    ).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'test' } },
      update: {
        expression: 'SET #expName_1 = #expName_1 + :expValue_1, #expName_2 = :expValue_2, #expName_3 = list_append(#expName_3, :expValue_3) REMOVE #expName_4',
        expressionNames: { '#expName_1': 'age', '#expName_2': 'name', '#expName_3': 'tags', '#expName_4': 'nickname' },
        expressionValues: { ':expValue_1': { N: '10' }, ':expValue_2': { S: 'Ada' }, ':expValue_3': { L: [{ S: 'x' }] } },
      },
    });
  });

  it('query turns the key condition into an expression and passes paging options through', () => {
    expect(
      ddb.query({
        index: 'byProject',
        query: { projectID: { eq: 'p1' }, uploadedAt: { beginsWith: '2026-' } },
        scanIndexForward: false,
        limit: 5,
        nextToken: 'tok',
        filter: { size: { gt: 0 } },
      }),
    ).toEqual({
      operation: 'Query',
      query: {
        expression: '(#projectID = :projectID_eq) AND (begins_with(#uploadedAt,:uploadedAt_beginsWith))',
        expressionNames: { '#projectID': 'projectID', '#uploadedAt': 'uploadedAt' },
        expressionValues: { ':projectID_eq': { S: 'p1' }, ':uploadedAt_beginsWith': { S: '2026-' } },
      },
      index: 'byProject',
      limit: 5,
      nextToken: 'tok',
      scanIndexForward: false,
      filter: { expression: '(#size > :size_gt)', expressionNames: { '#size': 'size' }, expressionValues: { ':size_gt': { N: '0' } } },
    });
  });

  it('leaves out paging options that are null', () => {
    expect(ddb.scan({ limit: null, nextToken: null })).toEqual({ operation: 'Scan' });
  });
});
