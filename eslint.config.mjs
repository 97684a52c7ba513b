// Lint rules of the house (run by `npm test`): TypeScript's recommended rules, Lit templates
// (eslint-plugin-lit), custom elements (eslint-plugin-wc), accessibility in templates
// (eslint-plugin-lit-a11y), no focused tests, and the layout rule that only the all-in-one entry
// and the stock page import components/ from src/. Formatting is prettier's (npm run format).
import js from '@eslint/js';
import litA11y from 'eslint-plugin-lit-a11y';
import lit from 'eslint-plugin-lit';
import noOnlyTests from 'eslint-plugin-no-only-tests';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'storybook-static/', 'custom-elements.json', 'test-results/', 'data/', 'certs/', 'scripts/templates/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.mocha } },
    rules: {
      // Unused arguments named _x are intentional (callbacks of a fixed shape).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Empty blocks with a comment say why (e.g. "already stopped").
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['components/**/*.ts', 'src/**/*.ts', 'stories/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['components/**/*.ts', 'src/**/*.ts'],
    ...wc.configs['flat/recommended'],
    settings: { wc: { elementBaseClasses: ['NunectElement', 'NunectWidget', 'LitElement'] } },
  },
  {
    files: ['components/**/*.ts', 'src/**/*.ts'],
    plugins: { 'lit-a11y': litA11y },
    rules: { ...litA11y.configs.recommended.rules },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    plugins: { 'no-only-tests': noOnlyTests },
    // chai's `expect(x).to.be.null` is an expression statement by design.
    rules: { 'no-only-tests/no-only-tests': 'error', '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // src/ is what the elements share: only the all-in-one entry and the stock page import them.
    files: ['src/**/*.ts'],
    ignores: ['src/index.ts', 'src/manager/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/components/**'],
              message: 'src/ is shared by the elements: it must not import components/ (only src/index.ts and src/manager/ may).',
            },
          ],
        },
      ],
    },
  },
  {
    // The core client is framework-free.
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['lit', 'lit/*', '@lit/*', '**/src/**', '**/components/**'],
              message: 'client/ is the framework-free core: no Lit, no src/, no components/.',
            },
          ],
        },
      ],
    },
  },
);
