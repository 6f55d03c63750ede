/**
 * The download Lambda: File.downloadUrl, batched. AppSync sends one event
 * holding a list of payloads (BatchInvoke, up to the function's
 * maxBatchSize) and takes a list of results in the same order, so a page of
 * 100 files costs one invocation. It only signs: its rights are s3:GetObject
 * under `projects/`, and no table access.
 */
import { answerWithData, type ErrorAnswer } from '../core/answer';
import { readConfig } from '../core/config';
import { lambdaEntry } from '../core/lambda-entry';
import { signDownloads, type DownloadSource } from '../core/download-url';
import type { LambdaContext } from '../core/resolver-event';
import { createTransferStore, type TransferStore } from '../core/transfers';

/** What signDownloadUrl sends for each file. */
export interface DownloadPayload {
  source: DownloadSource;
}

export type DownloadResult = { url: string | null } | ErrorAnswer;

export async function handleDownload(batch: DownloadPayload[], context: LambdaContext, getTransfers: () => TransferStore): Promise<DownloadResult[]> {
  const answer = await answerWithData('downloadUrl', context.awsRequestId, 'Signing the download URL failed unexpectedly', async () =>
    (
      await signDownloads(
        batch.map((payload) => payload?.source ?? {}),
        getTransfers(),
      )
    ).map((url) => ({ url })),
  );
  // One failure (e.g. no credentials) fails every file of the batch with the same error.
  return Array.isArray(answer) ? answer : batch.map(() => answer);
}

export const { createHandler, handler } = lambdaEntry((env): TransferStore => createTransferStore(readConfig(env), env), handleDownload);
