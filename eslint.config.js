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
  // The architecture (STYLE.md), enforced: a folder that imports what its role forbids fails lint.
  ...architectureRules(),
);

function architectureRules() {
  const prisma = { group: ['@prisma/*', '**/generated/prisma/**', '**/db/src/generated/**'], message: 'Only libs/db talks to Prisma: use a repository from #libs/db.' };
  const apps = (except) => ({
    group: ['api', 'worker', 'console'].filter((app) => app !== except).flatMap((app) => [`**/apps/${app}/**`, `../../${app}/**`, `../../../${app}/**`]),
    message: 'Apps never import each other: put shared code in a lib, compose processes in composition/.',
  });
  const pure = {
    paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'ioredis', 'bullmq', 'pg'].map((name) => ({
      name,
      message: 'A pure domain lib does no I/O: take the data as an argument, let a service or the app do the reading.',
    })),
    patterns: [
      prisma,
      { group: ['@nestjs/*'], message: 'A pure domain lib knows no framework.' },
      { group: ['#libs/db', '#libs/queue', '#libs/storage', '#libs/pipeline', '#libs/calls', '#libs/webhooks'], message: 'A pure domain lib depends on pure libs only.' },
      { group: ['**/apps/**', '**/composition/**'], message: 'A lib never calls up into an app.' },
    ],
  };
  const pureLibs = ['libs/rules/**', 'libs/calibration/**', 'libs/conversation-metrics/**', 'libs/scoring/**', 'libs/evaluation-model/**', 'libs/redaction/**', 'libs/domain/**', 'libs/retention/src/retention-policy*.ts'];
  return [
    { files: ['apps/**/*.ts', 'libs/**/*.ts', 'composition/**/*.ts'], ignores: ['libs/db/**'], rules: { 'no-restricted-imports': ['error', { patterns: [prisma] }] } },
    { files: ['libs/**/*.ts'], ignores: ['libs/db/**'], rules: { 'no-restricted-imports': ['error', { patterns: [prisma, { group: ['**/apps/**', '**/composition/**'], message: 'A lib never calls up into an app.' }] }] } },
    { files: ['apps/api/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [prisma, apps('api')] }] } },
    { files: ['apps/worker/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [prisma, apps('worker')] }] } },
    { files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'], rules: { 'no-restricted-imports': ['error', { patterns: [prisma, apps('console'), { group: ['#libs/*', '!#libs/api-contract', '!#libs/domain'], message: 'The console runs in a browser: it shares only the API contract and domain types.' }] }] } },
    // their tests may read fixture files
    { files: pureLibs, ignores: ['**/*.spec.ts'], rules: { 'no-restricted-imports': ['error', pure] } },
  ];
}
