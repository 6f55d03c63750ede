/** SHA-256 values as this API shows them (hex) and as S3 headers carry them (base64). A composite `-N` suffix is kept. */
export function hexToBase64(hex: string): string {
  const [digest, parts] = hex.split('-');
  const base64 = Buffer.from(digest, 'hex').toString('base64');
  return parts ? `${base64}-${parts}` : base64;
}

export function base64ToHex(base64: string): string {
  const [digest, parts] = base64.split('-');
  const hex = Buffer.from(digest, 'base64').toString('hex');
  return parts ? `${hex}-${parts}` : hex;
}
