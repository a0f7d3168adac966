/**
 * Unit tests of the action's pure modules. They import nothing from @actions/* (ESM-only), so
 * swc can compile them to CommonJS; @actions/* stay at the edges (main.ts, host.ts).
 * @swc/jest strips types only; `npm run typecheck -w @codebatch/action` is the type check.
 */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
module.exports = {
  displayName: 'action',
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
