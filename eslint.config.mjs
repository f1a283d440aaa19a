// ESLint flat config for the whole workspace.
// The dependency rules of ARCHITECTURE.md §3 are enforced here through Nx project tags
// (see each project.json): lint fails when an import crosses a forbidden boundary.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const PROD_CONSTRAINTS = [
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:core', 'type:contracts'] },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:contracts', 'type:core'],
  },
  // Domain layering (arrows point down only). Each new domain lib adds its line here.
  {
    sourceTag: 'domain:organizations',
    onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:core'],
  },
  {
    sourceTag: 'domain:accounting',
    onlyDependOnLibsWithTags: ['domain:organizations', 'type:platform', 'type:contracts', 'type:core'],
  },
  {
    sourceTag: 'domain:contacts',
    onlyDependOnLibsWithTags: ['domain:organizations', 'type:platform', 'type:contracts', 'type:core'],
  },
  {
    sourceTag: 'domain:payments',
    onlyDependOnLibsWithTags: ['domain:contacts', 'domain:accounting', 'domain:organizations', 'type:platform', 'type:contracts', 'type:core'],
  },
  {
    sourceTag: 'domain:receipts',
    onlyDependOnLibsWithTags: ['domain:contacts', 'domain:accounting', 'domain:organizations', 'type:platform', 'type:contracts', 'type:core'],
  },
  {
    sourceTag: 'domain:donations',
    onlyDependOnLibsWithTags: ['domain:receipts', 'domain:payments', 'domain:contacts', 'domain:accounting', 'domain:organizations', 'type:platform', 'type:contracts', 'type:core'],
  },
  {
    sourceTag: 'domain:memberships',
    onlyDependOnLibsWithTags: ['domain:receipts', 'domain:payments', 'domain:contacts', 'domain:accounting', 'domain:organizations', 'type:platform', 'type:contracts', 'type:core'],
  },
  {
    sourceTag: 'type:migrations',
    onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:core'],
  },
  {
    sourceTag: 'type:runtime',
    onlyDependOnLibsWithTags: ['type:migrations', 'type:domain', 'type:platform', 'type:contracts', 'type:core'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:runtime',
      'type:migrations',
      'type:domain',
      'type:platform',
      'type:contracts',
      'type:core',
    ],
  },
  // The admin web app talks to the API only through the shared contracts.
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:contracts', 'type:core'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:runtime', 'type:migrations', 'type:domain', 'type:platform', 'type:contracts', 'type:core'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:core'] },
];

// Test files (and the test-only app factories) may also use the test harness.
const TEST_CONSTRAINTS = PROD_CONSTRAINTS.map((c) =>
  ['type:app', 'type:domain', 'type:platform', 'type:runtime', 'type:migrations', 'type:core', 'type:contracts'].includes(
    c.sourceTag,
  ) || c.sourceTag.startsWith('domain:')
    ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] }
    : c,
);

// The test harness builds real apps out of the libs, and the libs' own tests use the harness:
// those cycles exist only through test files and are allowed, nothing else is.
const HARNESS_CYCLES = ['core', 'contracts', 'platform', 'organizations', 'accounting', 'contacts', 'payments', 'memberships', 'receipts', 'donations', 'runtime', 'migrations'].map((p) => ['testing', p]);

const TEST_FILES = ['**/*.test-support.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'apps/api/src/testing.ts'];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'dist/**', 'data/**', '.nx/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, banTransitiveDependencies: false, ignoredCircularDependencies: HARNESS_CYCLES, depConstraints: PROD_CONSTRAINTS },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // Ports have async signatures that some drivers fulfil synchronously.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Nest resolves constructor parameters from their runtime types: type-only imports would break DI.
      '@typescript-eslint/only-throw-error': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "CallExpression[callee.name='forwardRef']", message: 'No forwardRef: fix the dependency direction.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@ruche/*/src', '@ruche/*/src/**', '../../libs/**', '../../../libs/**'], message: 'Import a lib through its alias only (no deep imports).' },
          ],
        },
      ],
    },
  },
  {
    // Nest and TypeORM read constructor parameter and property types at run time (emitDecoratorMetadata).
    files: ['apps/api/**/*.ts', 'apps/worker/**/*.ts', 'libs/**/*.ts', 'migrations/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Pure business rules: no framework, no I/O, only the kernel.
    files: ['libs/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'bullmq', 'ioredis', 'nodemailer', 'pdfkit', 'stripe', 'node:fs', 'node:net', 'node:http', 'fs', '@ruche/*', '!@ruche/core', '!@ruche/contracts'],
              message: 'domain/ folders hold pure rules: import only @ruche/core, @ruche/contracts (pure schemas and types) and plain libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, banTransitiveDependencies: false, ignoredCircularDependencies: HARNESS_CYCLES, depConstraints: TEST_CONSTRAINTS },
      ],
      // Test assertions read unknown JSON bodies; keep `any` banned but relax unsafe member access.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The test harness itself is test code.
    files: ['libs/testing/**/*.ts', 'apps/admin-e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Tools that load a module's default export: Vite, jest global setup, the TypeORM CLI.
    files: ['apps/admin/vite.config.mts', 'libs/testing/src/global-*.ts', 'migrations/data-source.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  prettier,
);
