// ESLint flat config: recommended rules for JavaScript and TypeScript, kept pragmatic.
// `npm run lint` runs this and `prettier --check .`; formatting itself is Prettier's job.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Generated, built and local-only files are never linted.
  globalIgnores(['**/node_modules/', 'dist/', '.data/', 'test-results/', 'bench/results/', 'coverage/', 'subgraphs/*/src/generated/', 'schema/']),
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // A leading underscore marks an intentionally unused binding.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests and the testkit read loosely shaped GraphQL responses.
    files: ['**/*.test.ts', '**/test/**/*.ts', 'tests/**/*.ts', 'lib/testkit/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The storefront page is plain JavaScript served to browsers as is.
    files: ['gateway/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
