import { buildSchema, type GraphQLSchema } from 'graphql';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../infra/bundle';
import { appsyncScalars } from './scalars';

/** schema.graphql (the deployed contract) with AppSync's scalars and directives declared and implemented. */
export async function loadSchema(): Promise<GraphQLSchema> {
  const [contract, appsync] = await Promise.all(['schema.graphql', 'appsync.graphql'].map((file) => readFile(path.join(projectRoot, 'schema', file), 'utf8')));
  const schema = buildSchema(`${contract}\n${appsync}`);
  const types = schema.getTypeMap();
  for (const scalar of appsyncScalars) {
    const declared = types[scalar.name];
    if (declared)
      Object.assign(declared, {
        serialize: scalar.serialize,
        parseValue: scalar.parseValue,
        parseLiteral: scalar.parseLiteral,
        description: scalar.description,
      });
  }
  return schema;
}
