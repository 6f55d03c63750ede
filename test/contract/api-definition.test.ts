import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSchema, isObjectType } from 'graphql';
import { pipelineFunctions, resolverCodeName, resolvers } from '../../infra/api-definition';
import { projectRoot } from '../../infra/bundle';

const rootTypes = ['Query', 'Mutation', 'Subscription'] as const;

async function schemaRootFields(): Promise<string[]> {
  const sdl = await Promise.all(['schema.graphql', 'appsync.graphql'].map((f) => readFile(path.join(projectRoot, 'schema', f), 'utf8')));
  const schema = buildSchema(sdl.join('\n'));
  return rootTypes.flatMap((name) => {
    const type = schema.getType(name);
    return isObjectType(type) ? Object.keys(type.getFields()).map((field) => `${name}.${field}`) : [];
  });
}

const codeFiles = async (dir: string) => (await readdir(path.join(projectRoot, dir))).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));

describe('the API definition', () => {
  it('gives every root field of the schema a resolver, and no resolver to a root field the schema lacks', async () => {
    const rootResolvers = resolvers.filter((r) => (rootTypes as readonly string[]).includes(r.typeName));
    expect(rootResolvers.map(resolverCodeName).sort()).toEqual((await schemaRootFields()).sort());
  });

  it('binds every other resolver to a field the schema has', async () => {
    const sdl = await Promise.all(['schema.graphql', 'appsync.graphql'].map((f) => readFile(path.join(projectRoot, 'schema', f), 'utf8')));
    const schema = buildSchema(sdl.join('\n'));
    const nested = resolvers.filter((r) => !(rootTypes as readonly string[]).includes(r.typeName));
    expect(nested.map(resolverCodeName)).toEqual(['File.downloadUrl']);
    for (const { typeName, fieldName } of nested) {
      const type = schema.getType(typeName);
      expect(isObjectType(type) && type.getFields()[fieldName]).toBeTruthy();
    }
  });

  it('binds each resolver file to its field by name, with no file left unbound', async () => {
    expect((await codeFiles('resolvers')).sort()).toEqual(resolvers.map(resolverCodeName).sort());
  });

  it('declares every pipeline function file, and uses every declared function', async () => {
    const declared = Object.keys(pipelineFunctions).sort();
    expect((await codeFiles('resolvers/functions')).sort()).toEqual(declared);
    expect([...new Set(resolvers.flatMap((r) => r.pipeline))].sort()).toEqual(declared);
  });
});
