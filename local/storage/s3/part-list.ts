import { invalidRequest, s3Error } from './errors';
import type { PartRecord, UploadSettings } from './upload-folder';

/** CompleteMultipartUpload's part list, read and checked as S3 does. */

/** S3's smallest part, but for the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

/** A part as CompleteMultipartUpload lists it. */
export interface ListedPart {
  number: number;
  etag: string;
  /** Its checksum elements by name: `ChecksumSHA256` → base64. */
  checksums: Record<string, string>;
}

/**
 * The stored parts a CompleteMultipartUpload's list names, refused as S3
 * refuses it: parts out of order, a part not stored with that ETag (or,
 * for an upload with a checksum algorithm, that checksum), a checksum
 * missing, a part but the last under 5 MiB.
 */
export function choosePartsToComplete(listed: ListedPart[], stored: PartRecord[], settings: UploadSettings): PartRecord[] {
  listed.forEach((part, index) => {
    if (index > 0 && part.number <= listed[index - 1].number) {
      throw s3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    }
  });
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  const parts = listed.map((requested) => {
    const part = byNumber.get(requested.number);
    const invalidPart = () =>
      s3Error(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        { PartNumber: requested.number, ETag: requested.etag },
      );
    if (!part || part.md5 !== requested.etag) throw invalidPart();
    if (settings.algorithm) {
      const checksum = requested.checksums[`Checksum${settings.algorithm}`];
      if (checksum === undefined) {
        throw invalidRequest(
          `The upload was created using a ${settings.algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${requested.number} in the request.`,
        );
      }
      if (part.checksum?.algorithm !== settings.algorithm || part.checksum.value !== checksum) throw invalidPart();
    }
    return part;
  });
  parts.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_SIZE) {
      throw s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
        ProposedSize: part.size,
        MinSizeAllowed: MIN_PART_SIZE,
        PartNumber: part.partNumber,
        ETag: `"${part.md5}"`,
      });
    }
  });
  return parts;
}

/** The part list s3rver's controller read, with each part's checksum from the same XML (the controller drops them). */
export function withChecksums(requested: { number: number; etag: string }[], parsedBody: unknown): ListedPart[] {
  const body = parsedBody as { CompleteMultipartUpload?: { Part?: Record<string, unknown> | Record<string, unknown>[] } } | undefined;
  const xmlParts = ([] as Record<string, unknown>[]).concat(body?.CompleteMultipartUpload?.Part ?? []);
  return requested.map((part, index) => {
    const xml = xmlParts[index] ?? {};
    const checksums = Object.fromEntries(
      Object.entries(xml)
        .filter(([name]) => name.startsWith('Checksum'))
        .map(([name, value]) => [name, String(value)]),
    );
    return { number: part.number, etag: part.etag, checksums };
  });
}
