import { fileTypeFromBuffer } from 'file-type';
import { FileServiceError } from './errors';

/**
 * The stored content type, decided from the bytes first:
 * - recognised format (file-type's magic numbers): that type; a declared type
 *   that contradicts it is refused (UnsupportedMediaType), so a PNG can never
 *   be served as a PDF;
 * - unrecognised format (plain text, JSON, CSV, …): the declared type as given;
 * - neither: application/octet-stream. Text is not guessed: a wrong guess is
 *   worse than the honest generic type, and callers can declare text/plain.
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

/** "Text/XML; charset=utf-8" → "application/xml": the comparable part of a media type. */
function essence(mediaType: string): string {
  const bare = mediaType.split(';', 1)[0].trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/** `field` names the declared type as the caller sent it, for the refusal. */
export async function resolveContentType(content: Uint8Array, declared?: string, field = 'contentType'): Promise<string> {
  const detected = (await fileTypeFromBuffer(content))?.mime;
  // application/octet-stream claims nothing: it is what clients send when they do not know.
  const claimed = declared && essence(declared) !== DEFAULT_CONTENT_TYPE ? declared : undefined;
  if (!detected) return claimed ?? DEFAULT_CONTENT_TYPE;
  if (!claimed) return detected;

  const wanted = essence(claimed);
  if (wanted === detected) return detected;
  // A specific format inside a container file-type recognises only as the container (docx in zip): keep the specific one.
  if (CONTAINER_FORMATS[detected]?.(wanted)) return claimed;
  throw new FileServiceError(
    'UnsupportedMediaType',
    `${field} "${claimed}" does not match the file's content, which is ${detected}. ` +
      `Declare "${detected}", or omit ${field} to have it detected.`,
  );
}
