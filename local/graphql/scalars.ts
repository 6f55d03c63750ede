/**
 * AppSync's scalars, validated as AppSync validates them: values travel as
 * strings (AWSTimestamp as an integer), and a malformed one is refused
 * during validation with a message naming the scalar.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isIP } from 'node:net';

const DATE = String.raw`\d{4}-\d{2}-\d{2}`;
const TIME = String.raw`\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?`;
const OFFSET = String.raw`(?:Z|[+-]\d{2}:\d{2}(?::\d{2})?)`;

const matches = (pattern: string) => {
  const regex = new RegExp(`^${pattern}$`);
  return (value: string) => regex.test(value);
};
// Compiled once: every AWSDateTime of every answer is checked.
const isDate = matches(`${DATE}${OFFSET}?`);
const isDateTime = matches(`${DATE}T${TIME}${OFFSET}`);

/** A calendar date that exists (no February 30th); `value` starts with a well-formed YYYY-MM-DD. */
function realDate(value: string): boolean {
  const digits = (at: number) => (value.charCodeAt(at) - 48) * 10 + value.charCodeAt(at + 1) - 48;
  const m = digits(5);
  const d = digits(8);
  // Every month has a 28th: only later days need the calendar (answers carry many dates, so no allocation here).
  if (m >= 1 && m <= 12 && d >= 1 && d <= 28) return true;
  const y = digits(0) * 100 + digits(2);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads years 0–99 as 1900–1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function validUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return Boolean(url.protocol && (url.host || url.protocol === 'mailto:'));
  } catch {
    return false;
  }
}

function validJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

function stringScalar(name: string, description: string, isValid: (value: string) => boolean): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !isValid(value)) {
      throw new GraphQLError(`Invalid ${name} value ${JSON.stringify(value)}: expected ${description}.`);
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`Invalid ${name} literal: expected a string with ${description}.`, { nodes: ast });
      return check(ast.value);
    },
  });
}

const timestamp = new GraphQLScalarType({
  name: 'AWSTimestamp',
  description: 'seconds since 1970-01-01T00:00Z, as an integer',
  serialize: (value) => {
    if (!Number.isSafeInteger(value)) throw new GraphQLError(`Invalid AWSTimestamp value ${JSON.stringify(value)}: expected whole seconds.`);
    return value;
  },
  parseValue: (value) => {
    if (!Number.isSafeInteger(value)) throw new GraphQLError(`Invalid AWSTimestamp value ${JSON.stringify(value)}: expected whole seconds.`);
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('Invalid AWSTimestamp literal: expected whole seconds.', { nodes: ast });
    return Number(ast.value);
  },
});

export const appsyncScalars: GraphQLScalarType[] = [
  stringScalar('AWSDate', 'an ISO 8601 date YYYY-MM-DD, optionally with an offset', (v) => isDate(v) && realDate(v)),
  stringScalar('AWSTime', 'an ISO 8601 time hh:mm[:ss[.sss]], optionally with an offset', matches(`${TIME}${OFFSET}?`)),
  stringScalar(
    'AWSDateTime',
    'an ISO 8601 date-time YYYY-MM-DDThh:mm[:ss[.sss]] with an offset, e.g. 2026-01-31T12:00:00.000Z',
    (v) => isDateTime(v) && realDate(v),
  ),
  stringScalar('AWSEmail', 'an email address like name@example.com', matches(String.raw`[^\s@]+@[^\s@]+\.[^\s@]+`)),
  stringScalar('AWSJSON', 'a string of valid JSON', validJson),
  stringScalar('AWSURL', 'an absolute URL with a scheme, like https://example.com/path', validUrl),
  stringScalar('AWSPhone', 'a phone number of digits, spaces, hyphens and an optional leading +', matches(String.raw`\+?[\d\s()-]{3,}`)),
  stringScalar('AWSIPAddress', 'an IPv4 or IPv6 address, optionally with a /prefix', (v) => isIP(v.split('/')[0]) !== 0),
  timestamp,
];
