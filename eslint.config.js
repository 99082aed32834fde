// ESLint flat config: eslint's and typescript-eslint's recommended rules (syntax only, not type-aware:
// `npm run typecheck` already runs the compiler), for the server, the tests, the exports and the bench.
// Rules are tuned only where they fight a deliberate pattern of this codebase; each says why.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['node_modules/', 'data/', 'test-results/', 'coverage/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (Fastify handler signatures, callbacks, destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Migrations are frozen in time and take Kysely<any> (Kysely's own migration docs): they must not import the
    // app's Database type, which changes after them; the migrator that runs them takes the same.
    files: ['migrations/**/*.ts', 'server/db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The one script the pages load (progressive enhancement of the respondent form), run by the browser.
    files: ['templates/assets/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
]);
