/**
 * e2e of the GitHub Action: the real bundle (`node packages/action/dist/index.js`) against
 * azurite, a cache-service stand-in and an OpenAPI-validating GitHub API, all on 127.0.0.1.
 * @swc/jest strips types only; `tsc -p e2e/action` is the type check.
 */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
module.exports = {
  displayName: 'e2e-action',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // Child processes and servers: give slow machines room.
  testTimeout: 120000,
};
