// Lints the APPSYNC_JS sources under resolvers/ with AppSync's own rules
// (local/appsync-js/appsync-js-rules.js). The built bundles, which also hold
// code from elsewhere (infra/, generated/) and are what AppSync is given, are
// checked with the same rules by the build itself (infra/bundle.ts), which
// `npm run lint` runs first.
import tsParser from '@typescript-eslint/parser';
import { allRules as appsyncRules } from './local/appsync-js/appsync-js-rules.js';

export default [
  {
    files: ['resolvers/**/*.ts'],
    languageOptions: {
      parser: tsParser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    ...(await appsyncRules()),
  },
];
