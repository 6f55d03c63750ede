/**
 * POST /upload for legacy clients: an API Gateway HTTP API (payload 2.0)
 * proxy behind a JWT authorizer. The payload goes through the same upload
 * core as uploadFile — same checks, keys, checksum, row, no-orphan rule —
 * and the new file is announced to onFileUploaded subscribers.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mayAccessProject, notAuthorizedMessage, USER_POOL_AUTH } from '../../shared/project-access';
import { uploaderFrom } from '../core/uploader';
import { envCredentials, readAnnounceConfig, type Env } from '../core/config';
import { FileServiceError, isFileServiceError, unexpectedFailureMessage } from '../core/errors';
import { signedGraphQLClient, type SignedGraphQL } from '../core/signed-graphql';
import { lambdaEntry } from '../core/lambda-entry';
import { storesFrom } from '../core/storage';
import { uploadFile, type UploadDeps } from '../core/upload-file';
import { announceFileUploaded, type AnnounceRetry } from './announce';
import { userPoolIdentity } from '../core/user-pool-identity';
import { parseLegacyPayload, restChannel, toUploadInput } from './legacy-payload';

export type RestUploadEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface RestUploadDeps {
  uploads: UploadDeps;
  graphql: SignedGraphQL;
  /** How the announcement is retried (tests shorten the waits); announce.ts's ANNOUNCE_RETRY otherwise. */
  announceRetry?: AnnounceRetry;
}

const respond = (statusCode: number, body: Record<string, unknown>): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function authorize(identity: ReturnType<typeof userPoolIdentity>, payload: Record<string, unknown>): void {
  const projectID = payload.project_id;
  // A missing or malformed project_id is the validator's to report (400).
  if (typeof projectID === 'string' && !mayAccessProject(USER_POOL_AUTH, identity, projectID)) {
    throw new FileServiceError('Unauthorized', notAuthorizedMessage(projectID));
  }
}

export async function handleRestUpload(
  event: RestUploadEvent,
  context: { awsRequestId: string },
  getDeps: () => RestUploadDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) {
    return respond(401, { errorType: 'UnauthorizedException', message: 'Send a user-pool token in the Authorization header.' });
  }
  try {
    const identity = userPoolIdentity(claims, event.requestContext.http?.sourceIp ?? '');
    const payload = parseLegacyPayload(event.body, event.isBase64Encoded);
    authorize(identity, payload);
    const deps = getDeps();
    const file = await uploadFile(toUploadInput(payload), uploaderFrom(identity), deps.uploads, restChannel);
    await announceFileUploaded(deps.graphql, file.fileID, context.awsRequestId, deps.announceRetry);
    return respond(200, { message: 'File uploaded successfully', file });
  } catch (error) {
    if (isFileServiceError(error)) return respond(error.httpStatus, { errorType: error.errorType, message: error.message });
    console.error('rest-upload failed unexpectedly', { requestId: context.awsRequestId, error });
    return respond(500, {
      errorType: 'InternalFailure',
      message: unexpectedFailureMessage(context.awsRequestId),
    });
  }
}

function containerDeps(env: Env): RestUploadDeps {
  const announce = readAnnounceConfig(env);
  return { uploads: storesFrom(env), graphql: signedGraphQLClient(announce.graphqlUrl, announce.region, envCredentials(env)) };
}

export const { createHandler, handler } = lambdaEntry(containerDeps, handleRestUpload);
