import { sha256OfCanonical } from '../../util/hash';
import { computeFileKey, createFileKeyer, type FileKeyOwnParts } from '../file-memo';
import { type TaskIdentityParts, taskIdentity } from '../input-bundle';

/** The key as defined (file-memo.ts, computeFileKey): canonical JSON of the whole, hashed. */
function definedKey(identity: TaskIdentityParts, file: FileKeyOwnParts): string {
  return sha256OfCanonical({
    ...taskIdentity(identity),
    path: file.path,
    object: file.object,
    upstream: file.upstream,
    ...(file.extra === undefined ? {} : { extra: file.extra }),
    ...(file.environment === undefined ? {} : { environment: file.environment }),
  });
}

describe('createFileKeyer', () => {
  const identities: TaskIdentityParts[] = [
    {
      taskId: '04_lint',
      type: 'lint',
      version: '1.2.0',
      configDigest: `sha256:${'a'.repeat(64)}`,
      chunking: { threshold: 1_048_576, chunk_size: 262_144 },
    },
    {
      taskId: 'x"y',
      type: 'eslint',
      version: '0.0.1',
      configDigest: 'sha256:00',
      chunking: { threshold: 1, chunk_size: 2 },
      seedBase: 7,
    },
    {
      taskId: 't',
      type: 'parse',
      version: '1',
      configDigest: '',
      chunking: { threshold: 0, chunk_size: 0 },
      seedBase: 0,
    },
  ];
  const files: FileKeyOwnParts[] = [
    { path: 'src/a.ts', object: `sha256:${'b'.repeat(64)}`, upstream: [] },
    {
      path: 'src/ü "quoted"\u2028\ud800.ts',
      object: 'sha256:cd',
      upstream: [
        { task_id: '01_parse', digest: 'e'.repeat(64) },
        { task_id: '02_analyze', digest: 'f'.repeat(64) },
      ],
    },
    { path: 'a', object: 'b', upstream: [], extra: null },
    { path: 'a', object: 'b', upstream: [], extra: { z: 1, a: [{ y: 2, b: 'c' }] } },
    { path: 'a', object: 'b', upstream: [], environment: 'sha256:env' },
    { path: 'a', object: 'b', upstream: [], extra: 'x', environment: 'sha256:env' },
    { path: 'a', object: 'b', upstream: [], extra: undefined, environment: undefined },
  ];

  it('gives every file the key its definition gives it, for every identity and mix of optional parts', () => {
    for (const identity of identities) {
      const key = createFileKeyer(identity);
      // Twice over: the second pass takes the templates built by the first.
      for (const file of [...files, ...files]) {
        expect(key(file)).toBe(definedKey(identity, file));
        expect(computeFileKey({ ...identity, ...file })).toBe(definedKey(identity, file));
      }
    }
  });

  it('keys differ where the parts differ', () => {
    const key = createFileKeyer(identities[0]!);
    const keys = new Set(files.slice(0, 6).map(key));
    expect(keys.size).toBe(6);
    expect(createFileKeyer(identities[1]!)(files[0]!)).not.toBe(key(files[0]!));
  });
});
