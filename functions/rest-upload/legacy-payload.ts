/**
 * The historical POST /upload payload,
 *   {file_content (base64), file_name, project_id, file_type},
 * mapped onto the upload core under its own names and its own size limit.
 * Two optional fields, new and additive, give REST callers what uploadFile
 * has: `content_type` (checked against the bytes) and `client_token`
 * (idempotent retries). Old clients never send them and see no change.
 */
import type { UploadFileInput } from '../../generated/graphql';
import { FileServiceError } from '../core/errors';
import { MAX_REST_BASE64_CHARS } from '../core/limits';
import { graphqlChannel, type UploadChannel } from '../core/validation';

export const restChannel: UploadChannel = {
  name: 'POST /upload',
  fieldNames: {
    projectID: 'project_id',
    fileName: 'file_name',
    fileType: 'file_type',
    contentBase64: 'file_content',
    contentType: 'content_type',
    clientToken: 'client_token',
  },
  maxBase64Chars: MAX_REST_BASE64_CHARS,
  largerFilesHint: graphqlChannel.largerFilesHint,
};

const PAYLOAD_SHAPE = 'send JSON {"file_content": "<base64>", "file_name": "…", "project_id": "…", "file_type": "…"}';

/** Parses the request body; what it holds is checked by the upload core. */
export function parseLegacyPayload(body: string | undefined, isBase64Encoded: boolean): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(isBase64Encoded ? Buffer.from(body ?? '', 'base64').toString('utf8') : (body ?? ''));
  } catch {
    throw new FileServiceError('ValidationError', `The request body is not JSON: ${PAYLOAD_SHAPE}.`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new FileServiceError('ValidationError', `The request body must be a JSON object: ${PAYLOAD_SHAPE}.`);
  }
  return payload as Record<string, unknown>;
}

export const toUploadInput = (payload: Record<string, unknown>): Partial<Record<keyof UploadFileInput, unknown>> => ({
  projectID: payload.project_id,
  fileName: payload.file_name,
  fileType: payload.file_type,
  contentBase64: payload.file_content,
  contentType: payload.content_type,
  clientToken: payload.client_token,
});
