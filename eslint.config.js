import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Services talk through the graph; code imports another workspace package only by its public name.
const internals = [
  { group: ['@meridian/*/src/*', '**/subgraphs/*/src/**', '../../*/src/**'], message: 'Import a workspace package by its name, never its internals.' },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/__generated__/**', '.data/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: internals }],
    },
  },
  {
    files: ['subgraphs/auth/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: internals, paths: [{ name: '@meridian/db/users', message: 'The auth service uses only its own schema.' }] }] },
  },
  {
    files: ['subgraphs/users/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: internals, paths: [{ name: '@meridian/db/auth', message: 'The users service uses only its own schema.' }] }] },
  },
);
