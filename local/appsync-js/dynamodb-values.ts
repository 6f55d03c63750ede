/**
 * util.dynamodb: plain values ↔ DynamoDB attribute values, as AppSync's
 * runtime converts them; the AWS SDK's marshaller does the typing, so the
 * requests resolvers build go to the SDK unchanged. (AppSync prints numbers
 * as JSON numbers in `N`; the SDK wants strings. Resolvers never look.)
 */
import { convertToAttr, marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const options = { removeUndefinedValues: true, convertClassInstanceToMap: true } as const;

export const toDynamoDB = (value: unknown): AttributeValue => convertToAttr(value as NativeAttributeValue, options);

export const toMapValues = (object: Record<string, unknown>): Record<string, AttributeValue> =>
  marshall(object as Record<string, NativeAttributeValue>, options);

export const fromMapValues = (item: Record<string, AttributeValue>): Record<string, unknown> => unmarshall(item);

export const dynamodbUtil = {
  toDynamoDB,
  toMapValues,
  toString: (value: string): AttributeValue => ({ S: value }),
  toStringSet: (values: string[]): AttributeValue => ({ SS: values }),
  toNumber: (value: number): AttributeValue => ({ N: String(value) }),
  toNumberSet: (values: number[]): AttributeValue => ({ NS: values.map(String) }),
  toBinary: (value: string): AttributeValue => ({ B: Buffer.from(value, 'base64') }),
  toBinarySet: (values: string[]): AttributeValue => ({ BS: values.map((v) => Buffer.from(v, 'base64')) }),
  toBoolean: (value: boolean): AttributeValue => ({ BOOL: value }),
  toNull: (): AttributeValue => ({ NULL: true }),
  toList: (values: unknown[]): AttributeValue => toDynamoDB(values),
  toMap: (object: Record<string, unknown>): AttributeValue => ({ M: toMapValues(object) }),
  toS3Object: (key: string, bucket: string, region: string, version?: string): AttributeValue => ({
    S: JSON.stringify({ s3: { key, bucket, region, ...(version ? { version } : {}) } }),
  }),
  fromS3ObjectJson: (json: string): unknown => JSON.parse(json).s3,
};
