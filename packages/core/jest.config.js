/** @swc/jest strips types only; `tsc -b` in `npm test` is the type check. */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
module.exports = {
  displayName: 'core',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // @noble/hashes 2 is ESM-only: let swc turn it into CommonJS for the test oracle.
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!@noble/hashes)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
