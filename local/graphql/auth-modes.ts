/**
 * Which auth modes may read a field, from AppSync's directives: a field's
 * own directives win over its type's; with neither, only the default mode.
 */
import { getDirectiveValues, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

export type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'API_KEY' | 'AWS_IAM' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export const DEFAULT_AUTH_MODE: AuthMode = 'AMAZON_COGNITO_USER_POOLS';

const directiveModes: Record<string, AuthMode> = {
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

export interface FieldAccess {
  modes: Set<AuthMode>;
  /** From @aws_cognito_user_pools(cognito_groups: [...]): user-pool callers must be in one. */
  cognitoGroups?: string[];
}

type AstCarrier = { astNode?: { directives?: readonly { name: { value: string } }[] } | null };

function accessFrom(schema: GraphQLSchema, element: AstCarrier): FieldAccess | undefined {
  const names = (element.astNode?.directives ?? []).map((d) => d.name.value).filter((name) => name in directiveModes);
  if (!names.length) return undefined;
  const access: FieldAccess = { modes: new Set(names.map((name) => directiveModes[name])) };
  for (const name of ['aws_cognito_user_pools', 'aws_auth']) {
    const directive = schema.getDirective(name);
    const values = directive && getDirectiveValues(directive, element.astNode as never);
    if (values?.cognito_groups) access.cognitoGroups = values.cognito_groups as string[];
  }
  return access;
}

export function fieldAccess(schema: GraphQLSchema, type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): FieldAccess {
  return accessFrom(schema, field) ?? accessFrom(schema, type) ?? { modes: new Set([DEFAULT_AUTH_MODE]) };
}

/** What util.authType() answers for each mode. */
export const authTypeNames: Record<AuthMode, string> = {
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  API_KEY: 'API Key Authorization',
  AWS_IAM: 'IAM Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AWS_LAMBDA: 'Lambda Authorization',
};
