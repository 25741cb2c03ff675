// Lint rules: typescript-eslint's recommended set, the architecture boundary that keeps the editor out of
// the analysis core (the same rule is also enforced by test/unit/architecture), and no regular expression
// in src/ that can backtrack super-linearly on user text (issue 15: a crafted line took 13.8 s).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'media/**', 'examples/**', 'test/oracle/corpus/**', 'test/corpus/**', '**/*.py', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // A double cast through unknown silences the checker instead of convincing it (issue 17).
      'no-restricted-syntax': ['error', { selector: "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword']", message: 'No `as unknown as`: narrow the value, or validate data that crosses a boundary.' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential', ignorePartial: false, ignoreSticky: false }],
      'regexp/no-misleading-capturing-group': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core is editor-free: return plain data and adapt it in src/vscode.' },
          { name: 'fs', message: 'src/core takes file text from its caller (a file-reader function).' },
          { name: 'node:fs', message: 'src/core takes file text from its caller (a file-reader function).' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', window: 'readonly', document: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', NodeFilter: 'readonly', Event: 'readonly', performance: 'readonly', fetch: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
