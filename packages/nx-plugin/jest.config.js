/** @swc/jest strips types only; `tsc -b packages/nx-plugin` is the type check. */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
module.exports = {
  displayName: 'nx-plugin',
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|m?j)s$': swc },
  // Test against core's source, so the plugin's tests need no core build.
  moduleNameMapper: { '^@codebatch/core$': '<rootDir>/../core/src/index.ts' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
