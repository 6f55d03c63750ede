// Lints resolvers/ with AppSync's own rules, so the code stays inside what
// the APPSYNC_JS runtime accepts (no try/catch, classes, while, regex …).
import appsync from '@aws-appsync/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

export default [
  {
    files: ['resolvers/**/*.ts'],
    languageOptions: {
      parser: tsParser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  { ...appsync.configs.recommended, files: ['resolvers/**/*.ts'] },
];
