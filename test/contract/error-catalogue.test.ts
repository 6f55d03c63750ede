import { buildSchema, type GraphQLEnumType } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorStatus } from '../../functions/core/errors';
import { projectRoot } from '../../infra/bundle';
import { fail } from '../../resolvers/lib/errors';

const schema = buildSchema(['schema.graphql', 'appsync.graphql'].map((file) => readFileSync(path.join(projectRoot, 'schema', file), 'utf8')).join('\n'));

describe('the error catalogue', () => {
  it("is the schema's ErrorType enum: the Lambdas' statuses name each value, and the enum's description gives each its status", () => {
    const errorType = schema.getType('ErrorType') as GraphQLEnumType;
    const values = errorType.getValues().map((value) => value.name);

    expect(values.sort()).toEqual(Object.keys(errorStatus).sort());
    for (const value of values) expect(errorType.description).toContain(`- ${value} (HTTP ${errorStatus[value as keyof typeof errorStatus]}):`);
  });

  it('types the errorType a resolver raises (a misspelt one does not compile)', () => {
    // Never called: `npm run typecheck` fails if fail() accepts any string.
    const misspelt = () => {
      // @ts-expect-error 'NotFond' is not an ErrorType
      fail('No such file.', 'NotFond');
    };
    expect(typeof misspelt).toBe('function');
  });
});
