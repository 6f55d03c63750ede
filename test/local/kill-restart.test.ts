/**
 * The fault test of issue 11: `npm start` killed (SIGKILL) in the middle of
 * 200 uploads, 50 in flight, and started again on the same data directory.
 * One round here; bench/kill-restart.ts runs ten in a row.
 */
import { describe, expect, it } from 'vitest';
import { killAndRestartRound } from '../support/kill-restart-round';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();

describe('npm start killed mid-upload and restarted on its data', () => {
  it('keeps every answered upload with its bytes, lists no file without row or object (none hidden by the check’s index repair), lists the bucket, and its check removes the orphans', async () => {
    const result = await killAndRestartRound(await tempDir('kill-restart'));

    expect(result.answered).toBeGreaterThanOrEqual(40);
    expect(result).toMatchObject({ lost: [], phantoms: [], indexRepairs: [], rowsWithoutObjects: [], orphansLeft: [], bucketListable: true });
    expect(result.checkLines).toEqual([
      // A kill between s3rver's object and metadata files leaves a metadata file alone; one between the object and the row, an orphan.
      expect.stringMatching(
        /^\[check\] (repaired what a crash left: (\d+ metadata files? with no object removed|\d+ objects? with no file row removed)(; \d+ objects? with no file row removed)? \(|storage is consistent)/,
      ),
    ]);
  }, 90_000);
});
