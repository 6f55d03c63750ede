// What AppSync's APPSYNC_JS runtime refuses, as ESLint rules: the one list
// that eslint.config.js applies to resolvers/, and the build and the local
// loader apply to each bundle (as AppSync's CreateResolver/UpdateFunction
// refuse code that breaks them).
// Plain JavaScript so that eslint.config.js can import it.

// What AWS's "Supported runtime features" page refuses and the plugin misses: `throw`; classes
// as esbuild writes them in a bundle (`var C = class {…}`; the plugin flags declarations only);
// Promise's statics (the plugin flags `new Promise` only); RegExp built from a string; getters and
// setters (the page lists no accessor; refusing them is the safe side).
const unsupportedSyntax = [
  ['ThrowStatement', 'throw is not supported: end the handler with util.error(message, errorType) instead.'],
  ['ClassExpression', 'Classes are not supported: use plain objects and functions.'],
  ["MemberExpression[object.name='Promise']", 'Promises are not supported: handlers return plain values.'],
  [":matches(NewExpression, CallExpression)[callee.name='RegExp']", 'Regular expressions are not supported: use util.matches(pattern, text) instead.'],
  [':matches(Property, MethodDefinition)[kind=/^(get|set)$/]', 'Getters and setters are not supported: use plain properties or functions.'],
].map(([selector, message]) => ({ selector, message }));

/**
 * Every rule of the plugin's recommended set (some need a TypeScript program: the plugin loads
 * the compiler, so it is imported only when code is checked), and the page's extras.
 */
export async function allRules() {
  const { default: appsync } = await import('@aws-appsync/eslint-plugin');
  return {
    plugins: appsync.configs.recommended.plugins,
    rules: { ...appsync.configs.recommended.rules, 'no-restricted-syntax': ['error', ...unsupportedSyntax] },
  };
}
