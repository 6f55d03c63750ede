import { describe, expect, it } from 'vitest';
import { toSubscriptionFilter, transformUtil } from '../../../local/appsync-js/transform';
import { matchesFilter } from '../../../local/graphql/subscription-filter';

describe('util.transform (local runtime)', () => {
  it('toDynamoDBFilterExpression returns a JSON string with AppSync naming', () => {
    expect(JSON.parse(transformUtil.toDynamoDBFilterExpression({ title: { contains: 'Hello World' } }))).toEqual({
      expression: '(contains(#title,:title_contains))',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    });
  });

  it('prefixes values inside and/or/not groups with their path', () => {
    const expression = JSON.parse(
      transformUtil.toDynamoDBConditionExpression({ or: [{ a: { eq: 1 } }, { and: [{ b: { between: [1, 2] } }] }], not: { c: { ne: 'x' } } }),
    );
    expect(expression.expression).toBe(
      '((#a = :or_0_a_eq) OR ((#b BETWEEN :or_1_and_0_b_between_start AND :or_1_and_0_b_between_end))) AND (NOT (#c <> :not_c_ne))',
    );
    expect(Object.keys(expression.expressionValues)).toEqual([':or_0_a_eq', ':or_1_and_0_b_between_start', ':or_1_and_0_b_between_end', ':not_c_ne']);
  });

  it('brackets a group member of several fields', () => {
    const expression = JSON.parse(transformUtil.toDynamoDBFilterExpression({ or: [{ a: { eq: 1 }, b: { eq: 2 } }, { c: { eq: 3 } }] }));
    expect(expression.expression).toBe('(((#a = :or_0_a_eq) AND (#b = :or_0_b_eq)) OR (#c = :or_1_c_eq))');
  });

  it('toSubscriptionFilter puts the fields of one object in one group', () => {
    expect(toSubscriptionFilter({ a: { eq: 1 }, b: { eq: 2 } })).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'a', operator: 'eq', value: 1 },
            { fieldName: 'b', operator: 'eq', value: 2 },
          ],
        },
      ],
    });
  });

  it('toSubscriptionFilter joins a single rule of its `rules` argument to every group, even for a field it was told to ignore', () => {
    expect(
      toSubscriptionFilter({ projectID: { eq: 'p' }, size: { gt: 1 }, or: [{ fileType: { eq: 'pdf' } }, { fileType: { eq: 'png' } }] }, ['size'], {
        size: { le: 100 },
      }),
    ).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'projectID', operator: 'eq', value: 'p' },
            { fieldName: 'fileType', operator: 'eq', value: 'pdf' },
            { fieldName: 'size', operator: 'le', value: 100 },
          ],
        },
        {
          filters: [
            { fieldName: 'projectID', operator: 'eq', value: 'p' },
            { fieldName: 'fileType', operator: 'eq', value: 'png' },
            { fieldName: 'size', operator: 'le', value: 100 },
          ],
        },
      ],
    });
  });

  it('toSubscriptionFilter lets an event through that satisfies at least one of its `rules` (each group crossed with each rule)', () => {
    const filter = toSubscriptionFilter({ projectID: { eq: 'p' } }, [], { size: { le: 100 }, fileType: { eq: 'pdf' } });

    expect(filter).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'projectID', operator: 'eq', value: 'p' },
            { fieldName: 'size', operator: 'le', value: 100 },
          ],
        },
        {
          filters: [
            { fieldName: 'projectID', operator: 'eq', value: 'p' },
            { fieldName: 'fileType', operator: 'eq', value: 'pdf' },
          ],
        },
      ],
    });
    expect([
      matchesFilter(filter, { projectID: 'p', size: 500, fileType: 'pdf' }),
      matchesFilter(filter, { projectID: 'p', size: 50, fileType: 'png' }),
      matchesFilter(filter, { projectID: 'p', size: 500, fileType: 'png' }),
      matchesFilter(filter, { projectID: 'q', size: 50, fileType: 'pdf' }),
    ]).toEqual([true, true, false, false]);
  });

  it('toSubscriptionFilter multiplies `or` out into groups', () => {
    expect(toSubscriptionFilter({ projectID: { eq: 'p' }, or: [{ size: { gt: 10 } }, { fileType: { eq: 'pdf' } }] })).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'projectID', operator: 'eq', value: 'p' },
            { fieldName: 'size', operator: 'gt', value: 10 },
          ],
        },
        {
          filters: [
            { fieldName: 'projectID', operator: 'eq', value: 'p' },
            { fieldName: 'fileType', operator: 'eq', value: 'pdf' },
          ],
        },
      ],
    });
  });
});
