import { X509Certificate, createPrivateKey } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateCertificates } from '../../local/tls/local-certificates';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();

describe('the local CA', () => {
  it('gives servers starting at once the same CA, and each a certificate and key that belong together', async () => {
    const dir = path.join(await tempDir('ca'), 'tls');

    const results = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateCertificates(dir)));

    expect(new Set(results.map((r) => r.caCert)).size).toBe(1);
    const ca = new X509Certificate(results[0].caCert);
    for (const { cert, key } of results) {
      const leaf = new X509Certificate(cert);
      expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.checkPrivateKey(createPrivateKey(key))).toBe(true);
      expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    }
    expect((await loadOrCreateCertificates(dir)).caCert).toBe(results[0].caCert);
  });
});
