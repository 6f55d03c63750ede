// What AppSync's APPSYNC_JS runtime refuses, as ESLint rules: the one list
// that eslint.config.js applies to resolvers/ and to the built bundles, and
// the local loader applies to each bundle it loads (as AppSync's
// CreateResolver/UpdateFunction refuse code that breaks them).
// Plain JavaScript so that eslint.config.js can import it.
import noAsync from '@aws-appsync/eslint-plugin/lib/rules/no-async.js';
import noAwait from '@aws-appsync/eslint-plugin/lib/rules/no-await.js';
import noClasses from '@aws-appsync/eslint-plugin/lib/rules/no-classes.js';
import noContinue from '@aws-appsync/eslint-plugin/lib/rules/no-continue.js';
import noBinaryOperators from '@aws-appsync/eslint-plugin/lib/rules/no-disallowed-binary-operator.js';
import noReAssignment from '@aws-appsync/eslint-plugin/lib/rules/no-disallowed-re-assignment.js';
import noUnaryOperators from '@aws-appsync/eslint-plugin/lib/rules/no-disallowed-unary-operators.js';
import noFor from '@aws-appsync/eslint-plugin/lib/rules/no-for.js';
import noGenerators from '@aws-appsync/eslint-plugin/lib/rules/no-generators.js';
import noInOperator from '@aws-appsync/eslint-plugin/lib/rules/no-in-operator.js';
import noLabels from '@aws-appsync/eslint-plugin/lib/rules/no-labels.js';
import noPromise from '@aws-appsync/eslint-plugin/lib/rules/no-promise.js';
import noRegex from '@aws-appsync/eslint-plugin/lib/rules/no-regex.js';
import noThis from '@aws-appsync/eslint-plugin/lib/rules/no-this.js';
import noTry from '@aws-appsync/eslint-plugin/lib/rules/no-try.js';
import noWhile from '@aws-appsync/eslint-plugin/lib/rules/no-while.js';
import noYield from '@aws-appsync/eslint-plugin/lib/rules/no-yield.js';

// The plugin's "base" rules (those needing no TypeScript program), taken one by one: its
// index loads the TypeScript compiler for the others, half a second of every `npm start`.
// A test checks this is exactly the plugin's base set.
// Some rule modules are CommonJS with `exports.default`: Node's import hands over the exports object.
const rule = (module) => module.default ?? module;
const syntaxPlugin = {
  rules: {
    'no-async': rule(noAsync),
    'no-await': rule(noAwait),
    'no-classes': rule(noClasses),
    'no-for': rule(noFor),
    'no-continue': rule(noContinue),
    'no-generators': rule(noGenerators),
    'no-yield': rule(noYield),
    'no-labels': rule(noLabels),
    'no-regex': rule(noRegex),
    'no-this': rule(noThis),
    'no-try': rule(noTry),
    'no-while': rule(noWhile),
    'no-disallowed-unary-operators': rule(noUnaryOperators),
    'no-disallowed-binary-operators': rule(noBinaryOperators),
    'no-promise': rule(noPromise),
    'no-disallowed-re-assignment': rule(noReAssignment),
    'no-in-operator': rule(noInOperator),
  },
};

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

const restricted = { 'no-restricted-syntax': ['error', ...unsupportedSyntax] };
const errors = (plugin) => Object.fromEntries(Object.keys(plugin.rules).map((name) => [`@aws-appsync/${name}`, 'error']));

/** Rules that need no type information: the statements and operators of the page. */
export const syntaxRules = { plugins: { '@aws-appsync': syntaxPlugin }, rules: { ...errors(syntaxPlugin), ...restricted } };

/** Every rule of the plugin's recommended set, with those needing a TypeScript program (loads the plugin whole). */
export async function allRules() {
  const { default: appsync } = await import('@aws-appsync/eslint-plugin');
  return { plugins: appsync.configs.recommended.plugins, rules: { ...appsync.configs.recommended.rules, ...restricted } };
}
