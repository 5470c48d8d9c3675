import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'libs/db/src/generated/**', 'coverage/**', '.demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through libs/config only.' },
      ],
    },
  },
  { files: ['apps/console/**/*.tsx', 'apps/console/**/*.ts'], plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  { files: ['libs/config/**', 'test/**', 'bench/**', 'scripts/**', 'jest.config.js', 'prisma.config.ts', 'playwright.config.ts', 'apps/console/vite.config.ts'], rules: { 'no-restricted-syntax': 'off' } },
);
