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
    ['not detectable, declared', TEXT_BYTES, 'text/csv', 'text/csv'],
    ['not detectable, none declared, no name', TEXT_BYTES, undefined, 'application/octet-stream'],
  ])('%s', async (_case, bytes, declared, expected) => {
    expect(await resolveContentType(bytes, { declared })).toBe(expected);
  });

  it.each([
    ['text named .csv', TEXT_BYTES, 'data.csv', 'text/csv'],
    ['text named .md', TEXT_BYTES, 'README.md', 'text/markdown'],
    ['text named .json', Buffer.from('{"a":1}'), 'a.json', 'application/json'],
    ['text with an unknown extension', TEXT_BYTES, 'notes.zz9', 'application/octet-stream'],
    ['text named .png: a signature type the bytes do not carry is not taken from the name', TEXT_BYTES, 'fake.png', 'application/octet-stream'],
    ['a PNG named .txt: the bytes win', PNG_BYTES, 'image.txt', 'image/png'],
  ])('undeclared: %s', async (_case, bytes, fileName, expected) => {
    expect(await resolveContentType(bytes, { fileName })).toBe(expected);
  });

  it.each([
    ['<script> declared text/html', Buffer.from('<script>alert(1)</script>'), 'text/html', 'x.html'],
    ['<script> declared image/svg+xml', Buffer.from('<svg onload="alert(1)"/>'), 'image/svg+xml', 'x.svg'],
    ['XML declared as SVG', XML_BYTES, 'image/svg+xml', 'x.svg'],
    ['JavaScript declared text/javascript', Buffer.from('alert(1)'), 'text/javascript', 'x.js'],
    ['XHTML declared', Buffer.from('<html/>'), 'application/xhtml+xml; charset=utf-8', 'x.xhtml'],
    ['HTML undeclared, named .html', Buffer.from('<script>alert(1)</script>'), undefined, 'x.html'],
    ['script declared under an old alias', Buffer.from('alert(1)'), 'text/x-javascript', 'x.js'],
    ['HTML declared as multipart/x-mixed-replace', Buffer.from('--b\r\n<script>'), 'multipart/x-mixed-replace; boundary=b', 'x'],
    ['a web archive (message/rfc822)', Buffer.from('MIME-Version: 1.0'), 'message/rfc822', 'x.mht'],
    ['MathML named .mml', Buffer.from('<math/>'), undefined, 'x.mml'],
    ['RSS declared', Buffer.from('<rss/>'), 'application/rss+xml', 'x.rss'],
    ['a type nobody listed', Buffer.from('x'), 'application/x-made-up', 'x'],
    ['SVG undeclared, named .svg', XML_BYTES, undefined, 'x.svg'],
  ])('stores active content as application/octet-stream: %s', async (_case, bytes, declared, fileName) => {
    expect(await resolveContentType(bytes, { declared, fileName })).toBe('application/octet-stream');
  });

  it.each([
    [
      PNG_BYTES,
      'application/pdf',
      'contentType "application/pdf" does not match the file\'s content, which is image/png. Declare "image/png", or omit contentType to have it detected.',
    ],
    [
      PDF_BYTES,
      'text/plain',
      'contentType "text/plain" does not match the file\'s content, which is application/pdf. Declare "application/pdf", or omit contentType to have it detected.',
    ],
    [ZIP_BYTES, 'image/png', expect.stringContaining('which is application/zip')],
    [
      TEXT_BYTES,
      'image/png',
      'contentType "image/png" does not match the file\'s content: the bytes are not image/png. Declare the file\'s real type, or omit contentType to have it detected.',
    ],
    [TEXT_BYTES, 'application/pdf', expect.stringContaining('the bytes are not application/pdf')],
    [Buffer.from('<html>'), 'image/gif', expect.stringContaining('the bytes are not image/gif')],
  ])('refuses a declared type the bytes contradict (%#)', async (bytes, declared, message) => {
    await expect(resolveContentType(bytes, { declared })).rejects.toMatchObject({ errorType: 'UnsupportedMediaType', message });
  });
});
