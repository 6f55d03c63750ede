// Lints all TypeScript. The APPSYNC_JS sources (resolvers/, shared/) get
// AppSync's own rules (local/appsync-js/appsync-js-rules.js); the built
// bundles, which also hold code from elsewhere (infra/, generated/) and are
// what AppSync is given, are checked with the same rules by the build itself
// (infra/bundle.ts), which `npm run lint` runs first. Everything else gets
// typescript-eslint's checks of promises and type imports.
import tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';
import { allRules as appsyncRules } from './local/appsync-js/appsync-js-rules.js';

export default [
  {
    // shared/ runs in the resolvers too.
    files: ['resolvers/**/*.ts', 'shared/**/*.ts'],
    languageOptions: {
      parser: tsParser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    ...(await appsyncRules()),
  },
  {
    // Refusals go through fail() (resolvers/lib/errors.ts), whose errorType the schema's ErrorType types.
    files: ['resolvers/**/*.ts'],
    ignores: ['resolvers/lib/errors.ts'],
    rules: {
      // no-restricted-properties, not no-restricted-syntax: AppSync's rules already set that one, and a second setting would replace them.
      'no-restricted-properties': [
        'error',
        {
          object: 'util',
          property: 'error',
          message: "Raise errors with fail() from resolvers/lib/errors.ts: its errorType must be one of the schema's ErrorType values.",
        },
      ],
    },
  },
  {
    // All other TypeScript, with type information: promises are awaited or handled on purpose, types are imported as types.
    files: ['{functions,infra,local,test,bench,cli,web}/**/*.{ts,tsx}', '*.ts'],
    languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `typeof import('x')` stays allowed: it types a module loaded lazily (local/appsync-js/time.ts).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
];
