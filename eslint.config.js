import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'coverage', 'dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core never depends on a chat platform: adapters render core values, not the other way round.
    files: ['src/**/*.ts'],
    // The CLI is the composition root: it alone wires adapters to the core.
    ignores: ['src/cli.ts', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/adapters/**'], message: 'src/ must not import adapters/ (only the composition root may).' },
          { group: ['@slack/*', 'discord.js', '@discordjs/*'], message: 'Platform libraries belong in adapters/.' },
        ],
      }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
