import { describe, expect, it } from 'vitest';
import { resolveContentType } from '../../functions/core/content-type';
import { PDF_BYTES, PNG_BYTES } from './factories';

const ZIP_BYTES = Buffer.from('504b0304140000000000000000000000000000000000000000000000000000000000', 'hex');
const XML_BYTES = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>');
const TEXT_BYTES = Buffer.from('just some text');

describe('resolveContentType', () => {
  it.each([
    ['detected, none declared', PNG_BYTES, undefined, 'image/png'],
    ['detected, declared the same', PNG_BYTES, 'image/png', 'image/png'],
    ['detected, declared with other case and parameters', PDF_BYTES, 'Application/PDF; version=1.4', 'application/pdf'],
    ['detected, declared under a common alias', Buffer.from('ffd8ffe000104a464946', 'hex'), 'image/jpg', 'image/jpeg'],
    ['detected, declared as octet-stream (no claim)', PNG_BYTES, 'application/octet-stream', 'image/png'],
    ['a zip container declared as a zip-based format', ZIP_BYTES, 'application/epub+zip', 'application/epub+zip'],
    ['XML declared as SVG', XML_BYTES, 'image/svg+xml', 'image/svg+xml'],
    ['not detectable, declared', TEXT_BYTES, 'text/csv', 'text/csv'],
    ['not detectable, none declared', TEXT_BYTES, undefined, 'application/octet-stream'],
  ])('%s', async (_case, bytes, declared, expected) => {
    expect(await resolveContentType(bytes, declared)).toBe(expected);
  });

  it.each([
    [PNG_BYTES, 'application/pdf', 'contentType "application/pdf" does not match the file\'s content, which is image/png. Declare "image/png", or omit contentType to have it detected.'],
    [PDF_BYTES, 'text/plain', 'contentType "text/plain" does not match the file\'s content, which is application/pdf. Declare "application/pdf", or omit contentType to have it detected.'],
    [ZIP_BYTES, 'image/png', expect.stringContaining('which is application/zip')],
  ])('refuses a declared type the bytes contradict (%#)', async (bytes, declared, message) => {
    await expect(resolveContentType(bytes, declared)).rejects.toMatchObject({ errorType: 'UnsupportedMediaType', message });
  });
});
