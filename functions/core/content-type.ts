import { fileTypeFromBuffer, supportedMimeTypes } from 'file-type';
import mime from 'mime/lite';
import { FileServiceError } from './errors';

/**
 * The stored content type, decided from the bytes first:
 * - recognised format (file-type's magic numbers): that type; a declared type
 *   that contradicts it is refused (UnsupportedMediaType), so a PNG can never
 *   be served as a PDF;
 * - unrecognised bytes declared as a format that has a signature (PNG, PDF,
 *   ZIP…): refused too — those bytes are not that format;
 * - unrecognised bytes otherwise (plain text, JSON, CSV…): the declared type,
 *   or else the file name's extension (mime's standard table), or else
 *   application/octet-stream.
 * Only inert types (isInertContentType: media, signed binary formats, plain
 * kinds of text) are stored as such; anything a browser might render or run
 * — HTML, SVG, XML, scripts — is stored as application/octet-stream whatever
 * was declared, so no stored file runs on the bucket's origin (downloads are
 * attachments too).
 */

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

// Other names clients commonly use for a type file-type reports.
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/mp3': 'audio/mpeg',
  'application/x-pdf': 'application/pdf',
  'application/x-zip-compressed': 'application/zip',
  'text/xml': 'application/xml',
};

// Formats built on a container file-type may only report as the container.
const CONTAINER_FORMATS: Record<string, (declared: string) => boolean> = {
  'application/zip': (t) =>
    t.endsWith('+zip') ||
    t.startsWith('application/vnd.openxmlformats-officedocument.') ||
    t.startsWith('application/vnd.oasis.opendocument.') ||
    t === 'application/java-archive' ||
    t === 'application/vnd.android.package-archive',
  'application/x-cfb': (t) => ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/vnd.ms-outlook'].includes(t),
  'application/xml': (t) => t.endsWith('+xml'),
  'application/json': (t) => t.endsWith('+json'),
};

// Text a browser shows as text, never runs: declared or named by an extension, these are kept.
const INERT_TEXT = new Set([
  'text/plain',
  'text/csv',
  'text/tab-separated-values',
  'text/markdown',
  'text/x-markdown',
  'text/css',
  'text/calendar',
  'text/vcard',
  'text/vtt',
  'application/json',
  'application/x-ndjson',
  'application/yaml',
  'application/toml',
  'application/sql',
]);

/**
 * Whether a browser opening the file could only display it: media (SVG
 * aside), binary formats with a signature, and a short list of text types.
 * Everything else — HTML, XML, SVG, scripts under any of their names,
 * multipart and message types, types nobody listed — is or may be active.
 */
export function isInertContentType(type: string): boolean {
  const bare = essence(type);
  if (bare === DEFAULT_CONTENT_TYPE || INERT_TEXT.has(bare)) return true;
  if (bare.endsWith('+xml')) return false;
  return /^(image|audio|video|font)\/[a-z0-9.+-]+$/.test(bare) || (hasSignature(bare) && bare !== 'application/x-shockwave-flash');
}

/**
 * Binary formats file-type knows by their magic numbers: bytes without that
 * signature are not the format. Text formats it also sniffs (XML, calendars,
 * subtitles) may begin any way, so they are not held to one.
 */
const hasSignature = (type: string): boolean =>
  supportedMimeTypes.has(type as never) && !type.startsWith('text/') && type !== 'application/xml' && !type.endsWith('+xml');

/** "Text/XML; charset=utf-8" → "application/xml": the comparable part of a media type. */
function essence(mediaType: string): string {
  const bare = mediaType.split(';', 1)[0].trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/** What is stored for a type (also one chosen before the bytes are seen: a presigned PUT signs it): inert types only. */
export const storableContentType = (type: string | undefined): string => (type && isInertContentType(type) ? type : DEFAULT_CONTENT_TYPE);

export interface ContentTypeClaim {
  /** As the caller declared it, if at all. */
  declared?: string;
  /** The file's name: its extension names the type of unrecognised, undeclared bytes. */
  fileName?: string;
  /** How the caller named the declared type, for the refusal. */
  field?: string;
}

export async function resolveContentType(content: Uint8Array, { declared, fileName, field = 'contentType' }: ContentTypeClaim = {}): Promise<string> {
  const detected = (await fileTypeFromBuffer(content))?.mime;
  // application/octet-stream claims nothing: it is what clients send when they do not know.
  const claimed = declared && essence(declared) !== DEFAULT_CONTENT_TYPE ? declared : undefined;
  if (!detected) {
    if (claimed && hasSignature(essence(claimed))) {
      throw new FileServiceError(
        'UnsupportedMediaType',
        `${field} "${claimed}" does not match the file's content: the bytes are not ${essence(claimed)}. Declare the file's real type, or omit ${field} to have it detected.`,
      );
    }
    const fromName = fileName ? mime.getType(fileName) : null;
    return storableContentType(claimed ?? (fromName && !hasSignature(fromName) ? fromName : undefined));
  }
  if (!claimed) return storableContentType(detected);
  const wanted = essence(claimed);
  if (wanted === detected) return storableContentType(detected);
  // A specific format inside a container file-type recognises only as the container (docx in zip): keep the specific one.
  if (CONTAINER_FORMATS[detected]?.(wanted)) return storableContentType(claimed);
  throw new FileServiceError(
    'UnsupportedMediaType',
    `${field} "${claimed}" does not match the file's content, which is ${detected}. Declare "${detected}", or omit ${field} to have it detected.`,
  );
}
