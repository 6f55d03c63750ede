import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentCache } from '../../local/graphql/document-cache';

const schema = buildSchema('type Query { a: Int b: Int }');

describe('documentCache', () => {
  it('parses and validates a query text once, and answers it again from memory', () => {
    const checked = documentCache(schema);

    const first = checked('{ a }');

    expect(first).toHaveProperty('document');
    expect(checked('{ a }')).toBe(first);
  });

  it('keeps refusals too, with the validation error AppSync gives', () => {
    const checked = documentCache(schema);

    const refused = checked('{ nope }');

    expect(refused).toEqual({ errors: [expect.objectContaining({ errorType: 'ValidationError', message: 'Cannot query field "nope" on type "Query".' })] });
    expect(checked('{ nope }')).toBe(refused);
  });

  it('lets the least recently used text go first when full', () => {
    const checked = documentCache(schema, 2);
    const a = checked('{ a }');
    const b = checked('{ b }');
    checked('{ a }');

    checked('{ a b }');

    expect(checked('{ a }')).toBe(a);
    expect(checked('{ b }')).not.toBe(b);
  });
});
