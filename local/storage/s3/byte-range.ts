/** Bytes `start`…`end` of an object, both included. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The bytes a GetObject's Range header asks of an object of `size` bytes,
 * read as S3 reads it: `bytes=a-b` (an end past the object's is its end),
 * `bytes=a-`, and `bytes=-n`, the last n bytes (all of them when n ≥ size).
 * s3rver's controller read `bytes=-n` as the first n + 1 bytes and
 * `bytes=0-0` as the whole object, hence this.
 *
 * undefined: the whole object, for no header or one S3 ignores (not
 * `bytes=`, several ranges, malformed, or a > b). 'unsatisfiable': a
 * range that starts past the end, a suffix of 0 bytes, any range of an
 * empty object: S3 answers 416 InvalidRange.
 */
export function byteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, first, last] = match;
  if (first === '') {
    const suffix = Number(last);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/** The header an s3rver call's range options stand for (s3rver's controller parsed them from one). */
export function rangeHeaderOf(options: { start?: number; end?: number } | undefined): string | undefined {
  if (!options || (options.start === undefined && options.end === undefined)) return undefined;
  return `bytes=${options.start ?? 0}-${options.end ?? ''}`;
}
