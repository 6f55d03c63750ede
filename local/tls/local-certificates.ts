/**
 * A local certificate authority and a server certificate it signs, so the
 * local API can speak TLS: stock aws-amplify v6 dials `wss://` even for an
 * `http://` endpoint. Clients trust the CA (ca.pem) through
 * NODE_EXTRA_CA_CERTS or the OS store; the CA is made once per data
 * directory and kept, so trusting it once is enough. The CA never leaves
 * this machine: its key is kept next to it with mode 600.
 */
import { webcrypto, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

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

/**
 * @peculiar/x509 makes certificates (Node can only read them). It takes a
 * few hundred milliseconds to load, so it is loaded only when a certificate
 * must be made, not on every start.
 */
async function loadX509() {
  // It resolves its ASN.1 providers through tsyringe, which needs the Reflect metadata API.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as never);
  return x509;
}
type X509 = Awaited<ReturnType<typeof loadX509>>;

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const files = (dir: string) => ({
  caCert: path.join(dir, 'ca.pem'),
  caKey: path.join(dir, 'ca-key.pem'),
  cert: path.join(dir, 'server.pem'),
  key: path.join(dir, 'server-key.pem'),
});

const generateKeys = () => webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

async function privateKeyPem(x509: X509, key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

const importPrivateKey = (x509: X509, pem: string) => webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), ALGORITHM, false, ['sign']);

async function createCa(x509: X509) {
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

async function createServerCert(x509: X509, caPem: string, caKey: CryptoKey, keys: CryptoKeyPair) {
  const ca = new x509.X509Certificate(caPem);
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

/** Not signed by this CA (it was replaced), or near its end. */
function needsRenewal(certPem: string, caPem: string): boolean {
  const cert = new X509Certificate(certPem);
  return !cert.checkIssued(new X509Certificate(caPem)) || new Date(cert.validTo).getTime() - Date.now() < RENEW_WITHIN_DAYS * DAY_MS;
}

/** Readers see the old file or the new one, never half of one. */
async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, file);
}

/**
 * The CA and server certificate kept in `dir`, made when missing; the server
 * certificate is renewed (by the same CA) when it nears its end. Servers
 * starting at once (test workers, two terminals) share the folder, so one at
 * a time holds its lock: a key never ends up beside another key's certificate.
 */
export async function loadOrCreateCertificates(dir: string): Promise<LocalCertificates> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const release = await lockfile.lock(dir, { stale: 10_000, retries: { retries: 200, minTimeout: 10, maxTimeout: 50 } });
  try {
    return await readOrCreate(files(dir));
  } finally {
    await release();
  }
}

async function readOrCreate(paths: ReturnType<typeof files>): Promise<LocalCertificates> {
  let caPem = await readIfPresent(paths.caCert);
  let caKeyPem = await readIfPresent(paths.caKey);
  if (!caPem || !caKeyPem) {
    const x509 = await loadX509();
    const ca = await createCa(x509);
    caPem = ca.cert.toString('pem');
    caKeyPem = await privateKeyPem(x509, ca.keys.privateKey);
    await writeAtomically(paths.caKey, caKeyPem, 0o600);
    await writeAtomically(paths.caCert, caPem, 0o644);
  }

  let certPem = await readIfPresent(paths.cert);
  let keyPem = await readIfPresent(paths.key);
  if (!certPem || !keyPem || needsRenewal(certPem, caPem)) {
    const x509 = await loadX509();
    const keys = await generateKeys();
    certPem = (await createServerCert(x509, caPem, await importPrivateKey(x509, caKeyPem), keys)).toString('pem');
    keyPem = await privateKeyPem(x509, keys.privateKey);
    await writeAtomically(paths.key, keyPem, 0o600);
    await writeAtomically(paths.cert, certPem, 0o644);
  }
  return { caCert: caPem, caCertFile: paths.caCert, key: keyPem, cert: `${certPem}\n${caPem}` };
}
