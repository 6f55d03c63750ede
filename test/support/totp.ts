/**
 * TOTP as authenticator apps compute it (RFC 6238: HMAC-SHA1 over the
 * 30-second step, six digits), with the base32 secrets (RFC 4648) that
 * otpauth:// URIs carry: for the Cognito stand-in to check codes and for
 * tests to type them.
 */
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => ALPHABET[parseInt(chunk.padEnd(5, '0'), 2)]).join('');
}

export function base32Decode(text: string): Buffer {
  const bits = [...text.replace(/=+$/, '').toUpperCase()].map((char) => ALPHABET.indexOf(char).toString(2).padStart(5, '0')).join('');
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
}

/** The code for the 30-second step `offset` steps from now. */
export function totpCode(secretBase32: string, at = Date.now(), offset = 0): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000) + offset));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const start = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(start) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Whether `code` is right for this step or a neighbour (clocks drift). */
export const totpMatches = (secretBase32: string, code: unknown): boolean =>
  typeof code === 'string' && [-1, 0, 1].some((offset) => totpCode(secretBase32, Date.now(), offset) === code.trim());
