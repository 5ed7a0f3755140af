import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', '.data/', 'coverage/', 'test/browser/artifacts/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Numbers and booleans print as expected in messages; objects, null and undefined stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `(resolve) => server.close(resolve)` is the idiom for a callback whose result nobody reads; the rule
      // stays on for void values used in statements, returns and conditions.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // A leading underscore marks a parameter a signature requires (Express's four-argument error handler)
      // and a property left out of a rest object on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests read HTTP answers as loosely typed JSON (test/helpers/test_app.ts `Json`) and assert on them
      // field by field; typing every answer would only restate the contract the assertions already check.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // With noUncheckedIndexedAccess, `rows[0]!` in a test states what the test set up; a wrong guess
      // fails the test at once, which is what a guard would do.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `afterAll(() => world?.close())` guards a setup that failed halfway, and `JSON.stringify(x) ?? ''` its
      // undefined for undefined: both happen at run time although the declared types say they cannot.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Tests build a bad request by deleting fields from a good body.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // Helpers such as `api<{ id: string }>(...)` let the caller name the answer's shape, as `Json` does.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
    },
  },
  {
    // The config files are plain JavaScript outside the TypeScript project.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
