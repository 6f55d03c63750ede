/**
 * Ten kill-and-restart rounds in a row (issue 11's "done when"): each round
 * SIGKILLs `npm start` in the middle of 200 uploads and starts it again on
 * the same data directory, then counts lost answered uploads, phantom
 * listings (also those the start-up check had to repair in the index),
 * rows without objects, orphans left and whether the bucket
 * lists. Exits 1 if any round finds one.
 *   npx tsx bench/kill-restart.ts [rounds]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { killAndRestartRound } from '../test/support/kill-restart-round';

const rounds = Number(process.argv[2] ?? 10);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'codecraft-files-kill-restart-'));
let failed = false;
try {
  for (let round = 1; round <= rounds; round++) {
    const started = Date.now();
    // Each round kills after a different number of answers, so the kill lands at different moments.
    const result = await killAndRestartRound(dataDir, { killAfter: 20 + round * 7, projectID: `round-${round}` });
    const bad =
      result.lost.length +
      result.phantoms.length +
      result.indexRepairs.length +
      result.rowsWithoutObjects.length +
      result.orphansLeft.length +
      (result.bucketListable ? 0 : 1);
    failed ||= bad > 0;
    console.log(
      `round ${round}: ${result.answered} answered, ${result.lost.length} lost, ${result.phantoms.length} phantom, ` +
        `${result.indexRepairs.length ? `PHANTOMS REPAIRED AT START (${result.indexRepairs.join('; ')}), ` : ''}${result.rowsWithoutObjects.length} rows without object, ` +
        `${result.orphansLeft.length} orphans left, bucket ${result.bucketListable ? 'lists' : 'DOES NOT LIST'} (${Date.now() - started} ms)\n  ${result.checkLines.join('\n  ')}`,
    );
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.log(failed ? 'FAILED: see the rounds above' : `${rounds} rounds: nothing lost, nothing phantom`);
process.exit(failed ? 1 : 0);
