import type { UploadFileInput } from '../../generated/graphql';
import { decodeBase64Strict } from './base64';
import { FileServiceError } from './errors';
import { CLIENT_TOKEN_PATTERN, FILE_TYPE_PATTERN, MAX_CONTENT_TYPE_CHARS, MAX_FILE_NAME_BYTES, MAX_INLINE_BASE64_CHARS, PROJECT_ID_PATTERN } from './limits';

/**
 * How a transport names the input fields and how much it may carry inline:
 * refusals quote the caller's own field names and the caller's own limit.
 */
export interface UploadChannel {
  /** How the caller reached the upload, as refusals name it: "uploadFile", "POST /upload". */
  name: string;
  fieldNames: Record<keyof UploadFileInput, string>;
  maxBase64Chars: number;
  /** Where files over the limit should go instead. */
  largerFilesHint: string;
}

/** uploadFile over GraphQL: AppSync's ~1 MB request limit applies. */
export const graphqlChannel: UploadChannel = {
  name: 'uploadFile',
  fieldNames: {
    projectID: 'projectID',
    fileName: 'fileName',
    fileType: 'fileType',
    contentBase64: 'contentBase64',
    contentType: 'contentType',
    clientToken: 'clientToken',
  },
  maxBase64Chars: MAX_INLINE_BASE64_CHARS,
  largerFilesHint: 'larger files go straight to storage through createUploadUrl',
};

/** An UploadFileInput that passed every check, with its bytes decoded. */
export interface ValidUpload {
  projectID: string;
  fileName: string;
  fileType: string;
  /** As declared by the caller (trimmed); absent when not given. */
  contentType?: string;
  clientToken?: string;
  content: Buffer;
}

// C0 controls, DEL and C1 controls: invisible, and they break logs, headers and shells.
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/;
// A lone UTF-16 surrogate cannot be encoded as UTF-8: it would be stored as U+FFFD, not as given.
const LONE_SURROGATE = /\p{Surrogate}/u;
// RFC 9110 media type: type "/" subtype *( OWS ";" OWS token "=" ( token / quoted-string ) ).
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*"';
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`);

const fmt = (n: number) => n.toLocaleString('en-US');
const invalid = (message: string) => new FileServiceError('ValidationError', message);
const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function requireString(input: Record<string, unknown>, field: keyof UploadFileInput, names: UploadChannel['fieldNames']): string {
  const value = input[field];
  if (typeof value !== 'string') throw invalid(`${names[field]} is required and must be a string.`);
  return value;
}

function optionalString(input: Record<string, unknown>, field: keyof UploadFileInput, names: UploadChannel['fieldNames']): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${names[field]} must be a string when given.`);
  return value;
}

export function checkFileName(fileName: string, field: string): void {
  if (fileName.length === 0) throw invalid(`${field} is empty: give the file a name.`);
  // Path segments, not names: a download or a CLI `get` would write them as a directory.
  if (fileName === '.' || fileName === '..') throw invalid(`${field} "${fileName}" is not a file name: give the file a name.`);
  const control = CONTROL_CHAR.exec(fileName);
  if (control) {
    throw invalid(`${field} contains the control character ${codePoint(control[0])} at position ${control.index}; remove it.`);
  }
  if (LONE_SURROGATE.test(fileName)) throw invalid(`${field} is not valid Unicode (it contains an unpaired surrogate).`);
  const bytes = Buffer.byteLength(fileName, 'utf8');
  if (bytes > MAX_FILE_NAME_BYTES) {
    throw invalid(`${field} is ${fmt(bytes)} bytes of UTF-8; at most ${MAX_FILE_NAME_BYTES} are allowed. Shorten the name.`);
  }
}

export function checkContentType(contentType: string, field: string): string {
  const trimmed = contentType.trim();
  if (trimmed.length > MAX_CONTENT_TYPE_CHARS || !MEDIA_TYPE.test(trimmed)) {
    throw invalid(
      `${field} is not a valid MIME type: expected "type/subtype" with optional "; name=value" parameters, e.g. "application/pdf". Omit it to have the type detected.`,
    );
  }
  return trimmed;
}

/** Checks the payload size on the base64 text itself, so an oversized request is never decoded. */
function checkInlineSize(contentBase64: string, channel: UploadChannel): void {
  const { maxBase64Chars } = channel;
  if (contentBase64.length > maxBase64Chars) {
    throw new FileServiceError(
      'PayloadTooLarge',
      `${channel.fieldNames.contentBase64} is ${fmt(contentBase64.length)} characters; ${channel.name} accepts at most ${fmt(maxBase64Chars)} characters of base64 ` +
        `(${fmt((maxBase64Chars / 4) * 3)} bytes of file). Send a smaller file; ${channel.largerFilesHint}.`,
    );
  }
}

/** Validates an upload (untrusted: it may come from AppSync or a REST proxy) and decodes its bytes. */
export function validateUploadInput(raw: unknown, channel: UploadChannel = graphqlChannel): ValidUpload {
  if (typeof raw !== 'object' || raw === null) throw invalid('input is required.');
  const input = raw as Record<string, unknown>;
  const names = channel.fieldNames;

  const projectID = requireString(input, 'projectID', names);
  if (!PROJECT_ID_PATTERN.test(projectID)) throw invalid(`${names.projectID} must be 1 to 64 characters of letters, digits, "-" and "_".`);

  const fileName = requireString(input, 'fileName', names);
  checkFileName(fileName, names.fileName);

  const fileType = requireString(input, 'fileType', names);
  if (!FILE_TYPE_PATTERN.test(fileType)) {
    throw invalid(`${names.fileType} must be 1 to 64 characters of letters, digits, ".", "-", "_" and "/", e.g. "pdf" or "spec".`);
  }

  const clientToken = optionalString(input, 'clientToken', names);
  if (clientToken !== undefined && !CLIENT_TOKEN_PATTERN.test(clientToken)) {
    throw invalid(`${names.clientToken} must be 1 to 64 characters of letters, digits, "-" and "_" (a UUID works).`);
  }

  const declared = optionalString(input, 'contentType', names);
  const contentType = declared === undefined ? undefined : checkContentType(declared, names.contentType);

  const contentBase64 = requireString(input, 'contentBase64', names);
  checkInlineSize(contentBase64, channel);
  const content = decodeBase64Strict(contentBase64, names.contentBase64);
  if (content.length === 0) throw invalid(`${names.contentBase64} is empty: a file must have at least one byte.`);

  return { projectID, fileName, fileType, contentType, clientToken, content };
}
