/**
 * The SDL constructs AppSync documents, and nothing newer. AppSync parses a
 * schema with its own parser, which has refused syntax graphql-js accepts
 * (descriptions it did not expect: aws-appsync-community issues 38 and 410),
 * and a refusal surfaces only at deploy, as a failed schema creation. So the
 * schema CDK deploys is held to this list at synth, where a mistake costs
 * seconds: descriptions on types, fields, arguments and input fields;
 * AppSync's own directives; no definitions of directives or scalars (AppSync
 * provides its own), no `extend`, no directives or description on the
 * `schema { }` block, nothing but names in an enum (its parser takes neither
 * descriptions nor comments there: aws-appsync-community issues 55 and 410).
 */
import { Kind, parse, TokenKind, visit, type ASTNode, type Token } from 'graphql';

/** AppSync's directives (schema/appsync.graphql declares them for tools) and the one GraphQL built-in it documents. */
const APPSYNC_DIRECTIVES = new Set(['aws_api_key', 'aws_iam', 'aws_oidc', 'aws_lambda', 'aws_cognito_user_pools', 'aws_auth', 'aws_subscribe', 'deprecated']);

/** Where AppSync's documentation shows descriptions. */
const DESCRIBABLE = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.UNION_TYPE_DEFINITION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.FIELD_DEFINITION,
  Kind.INPUT_VALUE_DEFINITION,
]);

const REFUSED_DEFINITIONS: Partial<Record<string, string>> = {
  [Kind.DIRECTIVE_DEFINITION]: 'a directive definition (AppSync provides its directives; declare them in schema/appsync.graphql for tools)',
  [Kind.SCALAR_TYPE_DEFINITION]: 'a scalar definition (AppSync has no custom scalars; use its AWS* scalars)',
  [Kind.SCHEMA_EXTENSION]: 'extend schema',
  [Kind.SCALAR_TYPE_EXTENSION]: 'extend scalar',
  [Kind.OBJECT_TYPE_EXTENSION]: 'extend type',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'extend interface',
  [Kind.UNION_TYPE_EXTENSION]: 'extend union',
  [Kind.ENUM_TYPE_EXTENSION]: 'extend enum',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'extend input',
};

const where = (node: ASTNode) => (node.loc ? `line ${node.loc.startToken.line}` : 'somewhere');
const nameOf = (node: ASTNode) => ('name' in node && node.name && 'value' in node.name ? ` ${node.name.value}` : '');

/** The `#` comments between a node's first and last token (the lexer keeps them in its token chain). */
function commentsIn(node: ASTNode): Token[] {
  const comments: Token[] = [];
  for (let token = node.loc?.startToken; token && token !== node.loc?.endToken; token = token.next ?? undefined) {
    if (token.kind === TokenKind.COMMENT) comments.push(token);
  }
  return comments;
}

/** Every construct of `sdl` AppSync does not document, one sentence each; empty when AppSync will take it. */
export function undocumentedSchemaConstructs(sdl: string): string[] {
  const problems: string[] = [];
  visit(parse(sdl), {
    enter(node) {
      const refused = REFUSED_DEFINITIONS[node.kind];
      if (refused) problems.push(`${where(node)}: ${refused}.`);
      if (node.kind === Kind.SCHEMA_DEFINITION && node.description) {
        problems.push(`${where(node)}: a description on the schema definition (GraphQL 2021 syntax); make it a # comment.`);
      } else if ('description' in node && node.description && !DESCRIBABLE.has(node.kind)) {
        const instead = node.kind === Kind.ENUM_VALUE_DEFINITION ? "describe the values in the enum's description" : 'make it a # comment';
        problems.push(`${where(node)}: a description on ${node.kind}${nameOf(node)}; ${instead}.`);
      }
      if (node.kind === Kind.SCHEMA_DEFINITION && node.directives?.length) problems.push(`${where(node)}: directives on the schema definition.`);
      if (node.kind === Kind.DIRECTIVE && !APPSYNC_DIRECTIVES.has(node.name.value))
        problems.push(`${where(node)}: @${node.name.value}, not an AppSync directive.`);
      if (node.kind === Kind.ENUM_TYPE_DEFINITION) {
        for (const comment of commentsIn(node))
          problems.push(`line ${comment.line}: a # comment inside enum ${node.name.value}; describe the values in the enum's description.`);
      }
      if (node.kind === Kind.INTERFACE_TYPE_DEFINITION && node.interfaces?.length)
        problems.push(`${where(node)}: interface${nameOf(node)} implements an interface (GraphQL 2021 syntax).`);
    },
  });
  return problems;
}

/** Throws, naming every problem, when `sdl` holds a construct AppSync does not document. */
export function assertAppSyncSchema(sdl: string, file: string): void {
  const problems = undocumentedSchemaConstructs(sdl);
  if (problems.length) throw new Error(`${file} uses SDL AppSync does not document, which may fail the deploy:\n  ${problems.join('\n  ')}`);
}
