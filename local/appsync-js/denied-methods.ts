/**
 * The built-in methods the APPSYNC_JS runtime does not implement, as
 * `@aws-appsync/eslint-plugin`'s no-disallowed-methods rule lists them
 * (its DENIED_METHODS, not exported; a test keeps this copy equal to it).
 * The rule (applied by the build and the loader) sees only calls whose types show
 * them; the sandbox replaces each method so that any call fails, naming it, as on AppSync.
 */
export const DENIED_METHODS = [
  'Array.copyWithin',
  'Array.entries',
  'Array.from',
  'Array.group',
  'Array.groupToMap',
  'Array.keys',
  'Array.of',
  'Array.toLocaleString',
  'Array.toString',
  'Array.values',
  'ObjectConstructor.create',
  'ObjectConstructor.defineProperties',
  'ObjectConstructor.defineProperty',
  'ObjectConstructor.freeze',
  'ObjectConstructor.getOwnPropertyDescriptor',
  'ObjectConstructor.getOwnPropertyDescriptors',
  'ObjectConstructor.getOwnPropertyNames',
  'ObjectConstructor.getOwnPropertySymbols',
  'ObjectConstructor.getPrototypeOf',
  'ObjectConstructor.hasOwnProperty',
  'ObjectConstructor.is',
  'ObjectConstructor.isExtensible',
  'ObjectConstructor.isFrozen',
  'ObjectConstructor.isPrototypeOf',
  'ObjectConstructor.isSealed',
  'ObjectConstructor.preventExtensions',
  'ObjectConstructor.propertyIsEnumerable',
  'ObjectConstructor.seal',
  'ObjectConstructor.setPrototypeOf',
  'ObjectConstructor.toLocaleString',
  'ObjectConstructor.toString',
  'ObjectConstructor.valueOf',
  'String.charCodeAt',
  'String.fromCharCode',
  'String.fromCodePoint',
  'String.localeCompare',
  'String.matchAll',
  'String.padEnd',
  'String.padStart',
  'String.raw',
  'String.repeat',
  'String.search',
  'String.toLocaleLowerCase',
  'String.toLocaleUpperCase',
  'String.valueOf',
  'Date.setDate',
  'Date.setFullYear',
  'Date.setHours',
  'Date.setMilliseconds',
  'Date.setMinutes',
  'Date.setMonth',
  'Date.setSeconds',
  'Date.setTime',
  'Date.setUTCDate',
  'Date.setUTCFullYear',
  'Date.setUTCHours',
  'Date.setUTCMilliseconds',
  'Date.setUTCMinutes',
  'Date.setUTCMonth',
  'Date.setUTCSeconds',
  'Date.setYear',
  'Date.toGMTString',
  'Date.toLocaleDateString',
  'Date.toLocaleString',
  'Date.toLocaleTimeString',
];

type Builtins = Record<'Array' | 'Object' | 'String' | 'Date', { prototype: object }>;

/**
 * Replaces the denied methods on a sandbox's own built-ins. `XConstructor.m` is a static of X;
 * `X.m` is X's prototype method, or X's static where the prototype has none (Array.from, String.raw).
 */
export function denyMethods(builtins: Builtins): void {
  for (const denied of DENIED_METHODS) {
    const [owner, method] = denied.split('.');
    const constructor = builtins[owner.replace(/Constructor$/, '') as keyof Builtins];
    const onPrototype = !owner.endsWith('Constructor') && (method in constructor.prototype || !(method in constructor));
    const name = onPrototype ? `${owner}.prototype.${method}` : `${owner.replace(/Constructor$/, '')}.${method}`;
    Object.defineProperty(onPrototype ? constructor.prototype : constructor, method, {
      configurable: true,
      writable: true,
      value: () => {
        throw new Error(`${name}() is not supported by APPSYNC_JS (AppSync's runtime does not implement it).`);
      },
    });
  }
}
