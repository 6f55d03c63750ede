/**
 * A local certificate authority and a server certificate it signs, so the
 * local API can speak TLS: stock aws-amplify v6 dials `wss://` even for an
 * `http://` endpoint. Clients trust the CA (ca.pem) through
 * NODE_EXTRA_CA_CERTS or the OS store; the CA is made once per data
 * directory and kept, so trusting it once is enough. The CA never leaves
 * this machine: its key is kept next to it with mode 600.
 */
// @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface LocalCertificates {
  /** PEM of the CA clients must trust; also at caCertFile. */
  caCert: string;
  caCertFile: string;
  /** PEM key and certificate chain for the TLS server. */
  key: string;
  cert: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
// Browsers refuse server certificates valid for longer than 398 days.
const SERVER_CERT_DAYS = 397;
const RENEW_WITHIN_DAYS = 30;
const CA_YEARS = 10;

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const files = (dir: string) => ({
  caCert: path.join(dir, 'ca.pem'),
  caKey: path.join(dir, 'ca-key.pem'),
  cert: path.join(dir, 'server.pem'),
  key: path.join(dir, 'server-key.pem'),
});

const generateKeys = () => webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

const importPrivateKey = (pem: string) =>
  webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), ALGORITHM, false, ['sign']);

async function createCa(): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=CodeCraft Files local CA (${os.hostname()})`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + CA_YEARS * 365 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function createServerCert(ca: x509.X509Certificate, caKey: CryptoKey, keys: CryptoKeyPair): Promise<x509.X509Certificate> {
  const now = Date.now();
  const names = [
    { type: 'dns' as const, value: 'localhost' },
    { type: 'ip' as const, value: '127.0.0.1' },
    { type: 'ip' as const, value: '::1' },
    { type: 'dns' as const, value: os.hostname() },
  ];
  return x509.X509CertificateGenerator.create({
    subject: 'CN=localhost',
    issuer: ca.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + SERVER_CERT_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ],
  });
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The CA and server certificate kept in `dir`, made when missing; the server
 * certificate is renewed (by the same CA) when it nears its end.
 */
export async function loadOrCreateCertificates(dir: string): Promise<LocalCertificates> {
  const paths = files(dir);
  await mkdir(dir, { recursive: true });

  let caPem = await readIfPresent(paths.caCert);
  let caKeyPem = await readIfPresent(paths.caKey);
  if (!caPem || !caKeyPem) {
    const ca = await createCa();
    caPem = ca.cert.toString('pem');
    caKeyPem = await privateKeyPem(ca.keys.privateKey);
    await writeFile(paths.caKey, caKeyPem, { mode: 0o600 });
    await writeFile(paths.caCert, caPem);
  }

  let certPem = await readIfPresent(paths.cert);
  let keyPem = await readIfPresent(paths.key);
  const current = certPem ? new x509.X509Certificate(certPem) : undefined;
  const ca = new x509.X509Certificate(caPem);
  const stale = !current || current.issuer !== ca.subject || current.notAfter.getTime() - Date.now() < RENEW_WITHIN_DAYS * DAY_MS;
  if (stale || !keyPem) {
    const keys = await generateKeys();
    certPem = (await createServerCert(ca, await importPrivateKey(caKeyPem), keys)).toString('pem');
    keyPem = await privateKeyPem(keys.privateKey);
    await writeFile(paths.key, keyPem, { mode: 0o600 });
    await writeFile(paths.cert, certPem);
  }
  return { caCert: caPem, caCertFile: paths.caCert, key: keyPem, cert: `${certPem}\n${caPem}` };
}
