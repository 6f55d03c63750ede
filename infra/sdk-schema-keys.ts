/**
 * An esbuild plugin that lets the AWS SDK's operation schemas tree-shake.
 *
 * Since SDK 3.930 each client has one schemas module describing every
 * operation (client-s3's is 138 KB). Its traits are written with computed
 * keys over the module's own string constants, `{ [_hH]: _xaa }` (const _hH =
 * "httpHeader"), and esbuild keeps any statement with a computed key, since
 * evaluating a key may run code: every schema of every operation stays in the
 * bundle, ~50 KB of S3's alone (aws/aws-sdk-js-v3#7607, evanw/esbuild#4373).
 * The upstream fix (smithy-lang/smithy-typescript#1889) generates literal
 * keys instead; this applies the same rewrite at build time: `[_hH]:` becomes
 * `"httpHeader":` where _hH is a string constant of that module. Once the SDK
 * ships literal keys there is nothing to rewrite and the plugin is a no-op.
 */
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';

const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;
const COMPUTED_KEY = /\[(_\w+)\]: /g;

/** The schemas module with each computed key over one of its string constants written as that string. */
export function withLiteralTraitKeys(source: string): string {
  const strings = new Map([...source.matchAll(STRING_CONSTANT)].map(([, name, literal]) => [name, literal]));
  return source.replace(COMPUTED_KEY, (key, name: string) => {
    const literal = strings.get(name);
    return literal ? `${literal}: ` : key;
  });
}

export const sdkSchemaLiteralKeys: Plugin = {
  name: 'sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async ({ path }) => ({ contents: withLiteralTraitKeys(await readFile(path, 'utf8')), loader: 'js' }));
  },
};
