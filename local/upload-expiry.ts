/**
 * The local stand-in for DynamoDB TTL and the bucket's
 * abort-incomplete-multipart lifecycle rule: uploads never completed are
 * discarded once their time is up, at start and every five minutes.
 */
import type { ManageDeps } from '../functions/core/complete-upload';
import { expirePendingUploads } from '../functions/core/expire-uploads';
import { PENDING_UPLOAD_SECONDS } from '../functions/core/limits';

const EXPIRY_SWEEP_MS = 5 * 60 * 1000;

export function uploadExpiry(deps: ManageDeps) {
  const run = async (now?: Date) => {
    const discarded = await expirePendingUploads(deps, now);
    if (discarded) console.log(`[uploads] discarded ${discarded} upload(s) never completed within ${PENDING_UPLOAD_SECONDS / 3600} hours`);
    return discarded;
  };
  const timer = setInterval(() => void run().catch((error) => console.error('[uploads] expiring unfinished uploads failed', error)), EXPIRY_SWEEP_MS).unref();
  return { run, stop: () => clearInterval(timer) };
}
