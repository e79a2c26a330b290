// ESLint 9 reads only flat config; the rules live in .eslintrc.json (the project's
// chosen format) and are loaded here through FlatCompat, so there is one source of truth.
import { FlatCompat } from '@eslint/eslintrc';
import js from '@eslint/js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const baseDirectory = path.dirname(fileURLToPath(import.meta.url));
const compat = new FlatCompat({
  baseDirectory,
  recommendedConfig: js.configs.recommended,
  allConfig: js.configs.all,
});

export default [
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...compat.config(JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(path.join(baseDirectory, '.eslintrc.json'), 'utf8')))).map((c) => ({
    ...c,
    files: c.files ?? ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
  })),
];
