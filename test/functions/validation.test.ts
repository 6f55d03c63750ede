import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from '../../functions/core/base64';
import { FileServiceError } from '../../functions/core/errors';
import { MAX_INLINE_BASE64_CHARS, MAX_INLINE_BYTES } from '../../functions/core/limits';
import { validateUploadInput } from '../../functions/core/validation';
import { base64, uploadInput } from './factories';

/** The refusal `run` throws, as { errorType, message }. */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FileServiceError);
    const { errorType, message } = error as FileServiceError;
    return { errorType, message };
  }
  throw new Error('expected a refusal');
}

describe('validateUploadInput', () => {
  it('returns the checked fields and the decoded bytes', () => {
    const input = uploadInput({ contentBase64: base64('hello'), contentType: ' text/plain ', clientToken: 'tok-1' });

    expect(validateUploadInput(input)).toEqual({
      projectID: 'p1',
      fileName: 'notes.txt',
      fileType: 'text',
      contentType: 'text/plain',
      clientToken: 'tok-1',
      content: Buffer.from('hello'),
    });
  });

  it('treats null optional fields as absent', () => {
    const valid = validateUploadInput(uploadInput({ contentType: null, clientToken: null }));

    expect(valid.contentType).toBeUndefined();
    expect(valid.clientToken).toBeUndefined();
  });

  it('accepts a payload of exactly the limit', () => {
    const content = Buffer.alloc(MAX_INLINE_BYTES, 7);

    expect(validateUploadInput(uploadInput({ contentBase64: content.toString('base64') })).content).toEqual(content);
  });

  it('refuses one character over the limit before looking at the base64', () => {
    expect(refusal(() => validateUploadInput(uploadInput({ contentBase64: '*'.repeat(MAX_INLINE_BASE64_CHARS + 1) })))).toEqual({
      errorType: 'PayloadTooLarge',
      message:
        'contentBase64 is 900,001 characters; uploadFile accepts at most 900,000 characters of base64 (675,000 bytes of file). ' +
        'Send a smaller file; larger files go straight to storage through createUploadUrl.',
    });
  });

  it.each([
    ['a missing input', null, 'input is required.'],
    ['a non-string fileName', { ...uploadInput(), fileName: 42 }, 'fileName is required and must be a string.'],
    ['an empty fileName', uploadInput({ fileName: '' }), 'fileName is empty: give the file a name.'],
    ['a C0 control character', uploadInput({ fileName: 'a\nb' }), 'fileName contains the control character U+000A at position 1; remove it.'],
    ['DEL', uploadInput({ fileName: 'ab\u007f' }), 'fileName contains the control character U+007F at position 2; remove it.'],
    ['a C1 control character', uploadInput({ fileName: '\u0085x' }), 'fileName contains the control character U+0085 at position 0; remove it.'],
    ['an unpaired surrogate', uploadInput({ fileName: 'a\ud800b' }), 'fileName is not valid Unicode (it contains an unpaired surrogate).'],
    ['a 256-byte name', uploadInput({ fileName: 'x'.repeat(256) }), 'fileName is 256 bytes of UTF-8; at most 255 are allowed. Shorten the name.'],
    ['a 65-character projectID', uploadInput({ projectID: 'p'.repeat(65) }), 'projectID must be 1 to 64 characters of letters, digits, "-" and "_".'],
    ['a projectID with a slash', uploadInput({ projectID: 'a/b' }), 'projectID must be 1 to 64 characters of letters, digits, "-" and "_".'],
    ['an empty fileType', uploadInput({ fileType: '' }), expect.stringContaining('fileType must be 1 to 64 characters')],
    ['an empty clientToken', uploadInput({ clientToken: '' }), expect.stringContaining('clientToken must be 1 to 64 characters')],
    ['a 65-character clientToken', uploadInput({ clientToken: 't'.repeat(65) }), expect.stringContaining('clientToken must be')],
    ['a contentType without subtype', uploadInput({ contentType: 'text' }), expect.stringContaining('contentType is not a valid MIME type')],
    ['a contentType with a space inside', uploadInput({ contentType: 'text/ plain' }), expect.stringContaining('contentType is not a valid MIME type')],
    ['a contentType with a broken parameter', uploadInput({ contentType: 'text/plain; charset' }), expect.stringContaining('not a valid MIME type')],
    ['an empty file', uploadInput({ contentBase64: '' }), 'contentBase64 is empty: a file must have at least one byte.'],
  ])('refuses %s (ValidationError)', (_case, input, message) => {
    expect(refusal(() => validateUploadInput(input))).toEqual({ errorType: 'ValidationError', message });
  });

  it('accepts a 255-byte multi-byte name and MIME parameters with quoted values', () => {
    const input = uploadInput({ fileName: `${'é'.repeat(127)}x`, contentType: 'text/plain; charset="utf-8"; format=flowed' });

    expect(validateUploadInput(input)).toMatchObject({ fileName: input.fileName, contentType: input.contentType });
  });
});

describe('decodeBase64Strict', () => {
  it.each([
    ['no padding', 'aGk=', 'hi'],
    ['one byte', 'aA==', 'h'],
    ['three bytes', 'aGV5', 'hey'],
    ['the + and / characters', '+/+/', Buffer.from([0xfb, 0xff, 0xbf]).toString('latin1')],
  ])('decodes standard padded base64: %s', (_case, text, expected) => {
    expect(decodeBase64Strict(text, 'f').toString('latin1')).toBe(expected);
  });

  it.each([
    [
      'junk Node would skip',
      'aGVs*bG8=',
      'f is not valid base64: character "*" at position 4 is not in the standard base64 alphabet (A-Z, a-z, 0-9, "+", "/", with "=" padding at the end; no spaces or line breaks).',
    ],
    ['a line break', 'aGVs\nbG8=', expect.stringContaining('character U+000A at position 4')],
    ['base64url', 'a-_A', expect.stringContaining('character "-" (base64url is not accepted: use "+" and "/") at position 1')],
    ['missing padding', 'aGk', 'f is not valid base64: its length must be a multiple of 4 (it is 3), with at most two "=" of padding, only at the end.'],
    ['padding in the middle', 'aG==aGk=', expect.stringContaining('only at the end')],
    ['three padding characters', 'a===', expect.stringContaining('only at the end')],
    [
      'non-zero padding bits',
      'aB==',
      'f is not valid base64: the last 4-character group has non-zero padding bits; re-encode the file with a standard base64 encoder.',
    ],
    [
      'non-zero padding bits before one "="',
      'aGVsbG9=',
      'f is not valid base64: the last 4-character group has non-zero padding bits; re-encode the file with a standard base64 encoder.',
    ],
  ])('refuses %s', (_case, text, message) => {
    expect(refusal(() => decodeBase64Strict(text, 'f'))).toEqual({ errorType: 'ValidationError', message });
  });

  it.each([
    ['a character above U+00FF, which Node decodes by its low byte ("Ł" as "A")', 'QUJD\u0141BBB', 'character "\u0141" at position 4'],
    ['a Latin-1 character', 'QUJD\u00e9BBB', 'character "\u00e9" at position 4'],
    ['a space that keeps the length a multiple of 4', 'QU JDQUJD', 'character " " at position 2'],
  ])('refuses %s', (_case, text, where) => {
    expect(refusal(() => decodeBase64Strict(text, 'f')).message).toContain(where);
  });

  it('accepts exactly the text that is the canonical encoding of its bytes', () => {
    // Valid encodings of random lengths, each damaged once with what lenient decoders forgive or misread.
    const damage = ['-', '_', '=', '==', ' ', '\n', '*', '\u00e9', '\u0141', '\u4141', 'A', '/'];
    let seed = 1;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 2_000; i += 1) {
      const valid = Buffer.from(Array.from({ length: random(12) }, () => random(256))).toString('base64');
      const at = random(valid.length + 1);
      const cut = random(3);
      const text = i % 5 === 0 ? valid : valid.slice(0, at) + damage[random(damage.length)] + valid.slice(at + cut);
      const canonical = Buffer.from(text, 'base64').toString('base64') === text;
      let decoded: Buffer | undefined;
      try {
        decoded = decodeBase64Strict(text, 'f');
      } catch (error) {
        expect(error, JSON.stringify(text)).toBeInstanceOf(FileServiceError);
      }
      expect(decoded !== undefined, JSON.stringify(text)).toBe(canonical);
      if (decoded) expect(decoded.toString('base64')).toBe(text);
    }
  });
});
