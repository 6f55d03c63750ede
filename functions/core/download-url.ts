import type { TransferStore } from './transfers';

/** What the downloadUrl resolver knows of a file: its parent object, the row or a mutation's answer. */
export interface DownloadSource {
  s3Key?: string;
  fileName?: string;
  contentType?: string;
  /** Set on rows and on deleteFile's answer; absent on files a mutation just made available. */
  status?: string;
}

// RFC 8187 attr-char: what may stand unescaped in filename*.
const ATTR_CHAR = /[A-Za-z0-9!#$&+.^_`|~-]/;

/**
 * `attachment` with the original name, so the browser saves the file instead
 * of rendering it (a stored HTML or SVG file never runs on the bucket's
 * origin): `filename*` carries the exact UTF-8 name (RFC 6266, RFC 8187),
 * `filename` an ASCII stand-in for old clients.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = Array.from(Buffer.from(fileName, 'utf8'), (byte) => {
    const char = String.fromCharCode(byte);
    return byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A presigned GET for each available file, null for the rest (deleted, pending). */
export function signDownloads(sources: DownloadSource[], transfers: TransferStore): Promise<(string | null)[]> {
  return Promise.all(
    sources.map((source) =>
      source.s3Key && source.fileName && (source.status === undefined || source.status === 'AVAILABLE')
        ? transfers.presignGet(source.s3Key, {
            contentDisposition: contentDisposition(source.fileName),
            contentType: source.contentType ?? 'application/octet-stream',
          })
        : null,
    ),
  );
}
