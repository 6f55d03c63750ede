/**
 * Pagination tokens as AppSync hands them out: the DynamoDB
 * LastEvaluatedKey, encrypted (AES-256-GCM) so clients can neither read nor
 * forge it. The key should outlive restarts so tokens do too.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface NextTokenCodec {
  encode(lastEvaluatedKey: Record<string, AttributeValue>, scope: string): string;
  /** The key, or undefined when the token is not one of ours for this scope. */
  decode(token: string, scope: string): Record<string, AttributeValue> | undefined;
}

/** `scope` (table and index) is authenticated with the token: one listing's token does not open another. */
export function nextTokenCodec(key: Buffer): NextTokenCodec {
  if (key.length !== 32) throw new Error('the nextToken key must be 32 bytes');
  return {
    encode(lastEvaluatedKey, scope) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(scope));
      const body = Buffer.concat([cipher.update(JSON.stringify(lastEvaluatedKey), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    decode(token, scope) {
      const raw = Buffer.from(token, 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES)).setAAD(Buffer.from(scope));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
        return JSON.parse(plain.toString('utf8'));
      } catch {
        return undefined;
      }
    },
  };
}
