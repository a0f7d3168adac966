import { computeCacheKeys, computeConfigDigest, computeSliceKeys, sanitizeRef } from './cache-keys';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const parts = {
  prefix: 'codebatch-v1',
  runnerOs: 'Linux',
  configDigest: 'abcdef012345',
  branch: 'feature/x',
  baseBranch: 'main',
  defaultBranch: 'main',
  sha: SHA,
};

test('primary key: labelled parts from prefix, OS, config, branch and commit', () => {
  expect(computeCacheKeys(parts)).toEqual({
    primaryKey: `codebatch-v1-Linux-cfg=abcdef012345-ref=feature/x-sha=${SHA}`,
    restoreKeys: [
      'codebatch-v1-Linux-cfg=abcdef012345-ref=feature/x-sha=',
      'codebatch-v1-Linux-cfg=abcdef012345-ref=main-sha=',
      'codebatch-v1-Linux-',
    ],
  });
});

test('each matrix slice has its own key; the merge job knows them all', () => {
  expect(computeCacheKeys({ ...parts, slice: { index: 1, total: 3 } }).primaryKey).toBe(
    `codebatch-v1-Linux-cfg=abcdef012345-ref=feature/x-sha=${SHA}-slice=1of3`,
  );
  expect(computeSliceKeys(parts, 2).map((k) => k.slice(-10))).toEqual(['slice=0of2', 'slice=1of2']);
});

test('base and default branch are tried in order, without duplicates', () => {
  const keys = computeCacheKeys({ ...parts, branch: 'main', baseBranch: undefined });
  expect(keys.restoreKeys).toEqual([
    'codebatch-v1-Linux-cfg=abcdef012345-ref=main-sha=',
    'codebatch-v1-Linux-',
  ]);
  const three = computeCacheKeys({ ...parts, baseBranch: 'release/2', defaultBranch: 'main' });
  expect(three.restoreKeys.map((k) => /ref=(.*?)-sha=/.exec(k)?.[1])).toEqual([
    'feature/x',
    'release/2',
    'main',
    undefined,
  ]);
});

test('a branch prefix does not match a longer branch name', () => {
  const feature = computeCacheKeys({ ...parts, branch: 'feature' }).restoreKeys[0]!;
  const featureX = computeCacheKeys({ ...parts, branch: 'feature-x' }).primaryKey;
  expect(featureX.startsWith(feature)).toBe(false);
});

test('branch names lose commas and other characters, and long ones stay under the key limit', () => {
  expect(sanitizeRef('refs/heads/fix,comma=sign ü')).toBe('fix_comma_sign__');
  const long = 'b'.repeat(400);
  const other = `${'b'.repeat(399)}c`;
  expect(sanitizeRef(long)).not.toBe(sanitizeRef(other));
  expect(sanitizeRef(long).length).toBeLessThanOrEqual(120);
  const keys = computeCacheKeys({
    ...parts,
    prefix: 'p'.repeat(100),
    branch: long,
    baseBranch: other,
    slice: { index: 255, total: 256 },
  });
  for (const key of [keys.primaryKey, ...keys.restoreKeys]) {
    expect(key.length).toBeLessThanOrEqual(512);
    expect(key).not.toContain(',');
  }
});

test('the config digest names its inputs and changes with them', () => {
  const a = computeConfigDigest({ pipeline: 'full', configBytes: '{"a":1}' });
  expect(a.digest).toMatch(/^[0-9a-f]{12}$/);
  expect(a.preimage).toMatch(/^pipeline=full\nconfig=[0-9a-f]{64}\n$/);
  expect(computeConfigDigest({ pipeline: 'full', configBytes: '{"a":2}' }).digest).not.toBe(a.digest);
  expect(computeConfigDigest({ pipeline: 'lint', configBytes: '{"a":1}' }).digest).not.toBe(a.digest);
  expect(computeConfigDigest({ pipeline: 'full' }).preimage).toBe('pipeline=full\nconfig=none\n');
});
