/** What AppSync refuses at deploy, refused at synth instead: undocumented SDL, resolver code over its quota. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertAppSyncSchema, undocumentedSchemaConstructs } from '../../infra/appsync-schema';
import { bundledCode, MAX_CODE_CHARS } from '../../infra/constructs/graphql-api';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();

describe('the schema AppSync is given', () => {
  it('refuses a description on the schema definition, and takes the same text as a comment', () => {
    const described = '"""The API."""\nschema { query: Query }\ntype Query { a: Int }';
    expect(undocumentedSchemaConstructs(described)).toEqual(['line 1: a description on the schema definition (GraphQL 2021 syntax); make it a # comment.']);
    expect(() => assertAppSyncSchema(described, 'schema.graphql')).toThrow(/^schema\.graphql uses SDL AppSync does not document/);
    expect(undocumentedSchemaConstructs('# The API.\nschema { query: Query }\ntype Query { a: Int }')).toEqual([]);
  });

  it('takes descriptions on types, fields, arguments and input fields, comments outside enums, and AppSync directives', () => {
    const sdl = `
      # A comment.
      "A thing." type Query @aws_api_key { "Field." thing("Arg." id: ID!): Thing @aws_cognito_user_pools(cognito_groups: ["a"]) }
      """Input.""" input Thing { "Input field." name: String # a comment
      }
      "Enum: A is this, B that." enum Kind { A B @deprecated(reason: "gone") }
      type Subscription { changed: Int @aws_subscribe(mutations: ["x"]) @aws_iam }`;
    expect(undocumentedSchemaConstructs(sdl)).toEqual([]);
  });

  it('refuses descriptions and comments on enum values (aws-appsync-community issues 55 and 410)', () => {
    const sdl = ['type Query { a: Kind }', 'enum Kind {', '  "The first." A', '  # null', '  B', '}'].join('\n');
    expect(undocumentedSchemaConstructs(sdl)).toEqual([
      "line 4: a # comment inside enum Kind; describe the values in the enum's description.",
      "line 3: a description on EnumValueDefinition A; describe the values in the enum's description.",
    ]);
  });

  it('refuses directive and scalar definitions, extensions, foreign directives and interfaces implementing interfaces', () => {
    const sdl = [
      'directive @mine on FIELD_DEFINITION',
      'scalar Upload',
      'type Query { a: Int @mine }',
      'extend type Query { b: Int }',
      'interface A { a: Int }',
      'interface B implements A { a: Int }',
      'schema @mine { query: Query }',
    ].join('\n');
    expect(undocumentedSchemaConstructs(sdl)).toEqual([
      expect.stringMatching(/^line 1: a directive definition/),
      expect.stringMatching(/^line 2: a scalar definition/),
      'line 3: @mine, not an AppSync directive.',
      'line 4: extend type.',
      'line 6: interface B implements an interface (GraphQL 2021 syntax).',
      'line 7: directives on the schema definition.',
      'line 7: @mine, not an AppSync directive.',
    ]);
  });
});

describe('resolver code', () => {
  it("is refused over AppSync's quota of 32,000 characters, taken up to it", async () => {
    expect(MAX_CODE_CHARS).toBe(32_000);
    const dir = await tempDir('code-size');
    const atQuota = path.join(dir, 'at-quota.js');
    const over = path.join(dir, 'over.js');
    await writeFile(atQuota, `//${'x'.repeat(MAX_CODE_CHARS - 2)}`);
    await writeFile(over, `//${'x'.repeat(MAX_CODE_CHARS - 1)}`);
    expect(() => bundledCode(atQuota)).not.toThrow();
    expect(() => bundledCode(over)).toThrow(/is 32001 characters; AppSync accepts at most 32000\./);
  });
});
