// Lints APPSYNC_JS with AppSync's own rules (local/appsync-js/appsync-js-rules.js):
// the sources under resolvers/, and — because bundles pull in code from
// elsewhere (infra/, generated/) — every built bundle under dist/resolvers/,
// which is what AppSync is given. `npm run lint` builds dist/ first.
import tsParser from '@typescript-eslint/parser';
import { allRules as appsyncRules } from './local/appsync-js/appsync-js-rules.js';

const allRules = await appsyncRules();

export default [
  {
    // shared/ runs in the resolvers too.
    files: ['resolvers/**/*.ts', 'shared/**/*.ts'],
    languageOptions: {
      parser: tsParser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    ...allRules,
  },
  {
    // Refusals go through fail() (resolvers/lib/errors.ts), whose errorType the schema's ErrorType types.
    files: ['resolvers/**/*.ts'],
    ignores: ['resolvers/lib/errors.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='util'][callee.property.name='error']", message: 'Raise errors with fail() from resolvers/lib/errors.ts: its errorType must be one of the schema\'s ErrorType values.' },
      ],
    },
  },
  {
    files: ['dist/resolvers/**/*.js'],
    languageOptions: {
      parser: tsParser,
      // The type-aware rules need a program holding the bundles.
      parserOptions: { project: './tsconfig.bundles.json', tsconfigRootDir: import.meta.dirname },
    },
    ...allRules,
  },
];
