import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * CI's check that the committed bundle is what the sources build to (`npm test` runs jest).
 * dist/ inlines @codebatch/core from source, so a change to core needs a rebuild too:
 * `npm run build -w @codebatch/action`.
 */
test('dist/ is up to date with the sources (scripts/build.mjs --check)', () => {
  const result = spawnSync(process.execPath, [path.join(__dirname, '../scripts/build.mjs'), '--check'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(`${result.stdout}${result.stderr}`).toContain('dist/ is up to date');
  expect(result.status).toBe(0);
});
