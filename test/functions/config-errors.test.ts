import { describe, expect, it } from 'vitest';
import { readConfig } from '../../functions/core/config';

describe('readConfig', () => {
  it('reads the table, the bucket and path style from the environment', () => {
    expect(readConfig({ FILES_TABLE: 't', FILES_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'true' })).toEqual({
      filesTable: 't',
      filesBucket: 'b',
      s3ForcePathStyle: true,
    });
    expect(readConfig({ FILES_TABLE: 't', FILES_BUCKET: 'b' }).s3ForcePathStyle).toBe(false);
  });

  it('names a missing required variable', () => {
    expect(() => readConfig({ FILES_TABLE: 't' })).toThrow('Missing required environment variable FILES_BUCKET');
    expect(() => readConfig({ FILES_TABLE: ' ', FILES_BUCKET: 'b' })).toThrow('FILES_TABLE');
  });

  it('lets tests override any field', () => {
    expect(readConfig({}, { filesTable: 't2', filesBucket: 'b2', s3ForcePathStyle: true })).toEqual({
      filesTable: 't2',
      filesBucket: 'b2',
      s3ForcePathStyle: true,
    });
  });
});
