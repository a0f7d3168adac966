// The ESLint baseline of `npm run bench`: @eslint/js and typescript-eslint recommended, not
// type-aware (the configuration measured in ../shared/design/TOOLING-NOTES.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(js.configs.recommended, ...tseslint.configs.recommended, {
  languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
  linterOptions: { reportUnusedDisableDirectives: 'off' },
});
