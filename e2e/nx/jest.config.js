/**
 * e2e of the Nx plugin: a fresh Nx workspace in a temp dir, @codebatch/nx and @codebatch/core
 * installed from `npm pack` tarballs, driven with the real `nx` CLI.
 * Tests are `*.e2e.test.ts`. `nx-plugin.e2e-pending.ts` needs the engine's `analyze` (exported
 * from @codebatch/core) and built packages: rename it to `nx-plugin.e2e.test.ts` to enable it.
 * @swc/jest strips types only.
 */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
module.exports = {
  displayName: 'e2e-nx',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // npm install and several nx runs per test: give a 2-core machine room.
  testTimeout: 600000,
};
