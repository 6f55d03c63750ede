/**
 * What the fan-out's subscribers ask for: a mix of selection sets (so the
 * server has several distinct renders per event) and a share subscribed to
 * another project (the subscription filter keeps every event from them).
 * Shared by the scenario (which checks each frame) and its client thread.
 */
import { OnFileUploadedDocument } from '../../generated/operations';

export const FAN_OUT_PROJECT = 'bench-fan-out';
const OTHER_PROJECT = 'bench-fan-out-elsewhere';

// Answers are read field by field, as a client would.
type Json = any;

export interface Variant {
  name: string;
  /** Out of every 10 subscribers. */
  share: number;
  request: { query: string; variables: Record<string, unknown> };
  /** The `payload` of the data frame this subscriber must get for an upload answered with `file`; undefined: no frame. */
  expected(file: Json): Json;
}

export const VARIANTS: Variant[] = [
  {
    name: 'FileFields (the generated OnFileUploaded)',
    share: 4,
    request: { query: OnFileUploadedDocument.toString(), variables: { projectID: FAN_OUT_PROJECT } },
    // uploadFile selected the same fragment: the event is the mutation's answer.
    expected: (file) => ({ data: { onFileUploaded: file } }),
  },
  {
    name: 'four fields',
    share: 3,
    request: { query: 'subscription Four($p: ID!) { onFileUploaded(projectID: $p) { fileID fileName size __typename } }', variables: { p: FAN_OUT_PROJECT } },
    expected: (file) => ({ data: { onFileUploaded: { fileID: file.fileID, fileName: file.fileName, size: file.size, __typename: 'File' } } }),
  },
  {
    name: 'aliases',
    share: 2,
    request: { query: 'subscription Aliased($p: ID!) { upload: onFileUploaded(projectID: $p) { id: fileID uploadedAt } }', variables: { p: FAN_OUT_PROJECT } },
    expected: (file) => ({ data: { upload: { id: file.fileID, uploadedAt: file.uploadedAt } } }),
  },
  {
    name: 'another project (filtered out)',
    share: 1,
    request: { query: OnFileUploadedDocument.toString(), variables: { projectID: OTHER_PROJECT } },
    expected: () => undefined,
  },
];

/** Subscriber i's variant: the shares repeat every 10 subscribers. */
export function variantOf(subscriber: number): Variant {
  let slot = subscriber % 10;
  for (const variant of VARIANTS) {
    if (slot < variant.share) return variant;
    slot -= variant.share;
  }
  throw new Error('The variant shares add up to 10');
}
