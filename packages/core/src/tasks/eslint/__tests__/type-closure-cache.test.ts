import fs from 'node:fs';
import path from 'node:path';
import type { FilesIndexRecord } from '../../../schemas/snapshot-record';
import type { SnapshotView } from '../../../snapshot/snapshot-view';
import { makeTempDir, writeTree } from '../../../test-support/temp-dir';
import { sha256Hex } from '../../../util/hash';
import { closureDigestsFor } from '../type-closure-cache';

/** Only packages/app is the snapshot; the sibling it imports through tsconfig paths is on disk. */
const APP: Record<string, string> = {
  'tsconfig.json': '{"extends":"../../tsconfig.base.json","include":["src"]}',
  'src/main.ts': "import { load } from '@ws/lib';\nexport const m = load();\n",
  'src/plain.ts': 'export const p = 1;\n',
};
/** No closure build produces it: seeing it back proves the stored table was reused. */
const SENTINEL = 'f'.repeat(64);

function snapshotOf(root: string, tree: Record<string, string>): SnapshotView {
  const objects = new Map(Object.values(tree).map((text) => [sha256Hex(text), text]));
  const records = Object.entries(tree).map(
    ([p, text]) => ({ path: p, object: `sha256:${sha256Hex(text)}` }) as FilesIndexRecord,
  );
  return {
    root,
    digest: sha256Hex(JSON.stringify(records)),
    files: () => records,
    read: (object) => Buffer.from(objects.get(object)!, 'utf8'),
  };
}

describe('closureDigestsFor', () => {
  let dir: string;
  let cleanup: () => void;
  let snapshot: SnapshotView;
  let cacheCount = 0;
  // Each call gets a store of its own, so that what it returns comes from its stored file.
  const newCacheDir = () => path.join(dir, `cache-${cacheCount++}`);
  const storedFileIn = (cacheDir: string) => {
    const names = fs.readdirSync(path.join(cacheDir, 'eslint'));
    expect(names).toHaveLength(1);
    return path.join(cacheDir, 'eslint', names[0]!);
  };
  /** A store holding `table` where the first computation stored its table. */
  let storedName: string;
  const storeWith = (table: unknown) => {
    const cacheDir = newCacheDir();
    writeTree(cacheDir, { [path.join('eslint', storedName)]: JSON.stringify(table) });
    return cacheDir;
  };

  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir('codebatch-closure-cache-'));
    writeTree(dir, {
      'tsconfig.base.json':
        '{"compilerOptions":{"baseUrl":".","paths":{"@ws/lib":["packages/lib/src/index.ts"]}}}',
      'packages/lib/src/index.ts': "export * from './load';\n",
      'packages/lib/src/load.ts': 'export function load(): number { return 1; }\n',
    });
    writeTree(path.join(dir, 'packages/app'), APP);
    snapshot = snapshotOf(path.join(dir, 'packages/app'), APP);
  });
  afterEach(() => cleanup());

  function computeAndStore() {
    const cacheDir = newCacheDir();
    const computed = closureDigestsFor(snapshot, cacheDir);
    const file = storedFileIn(cacheDir);
    storedName = path.basename(file);
    return { computed, stored: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> };
  }

  it('reuses a stored table while the disk answers as observed, and recomputes once a read file changed', () => {
    const { computed, stored } = computeAndStore();
    expect([...computed.keys()].sort()).toEqual(['src/main.ts', 'src/plain.ts']);
    const sentinel = { ...stored, digests: { 'src/main.ts': SENTINEL, 'src/plain.ts': SENTINEL } };

    expect(closureDigestsFor(snapshot, storeWith(sentinel)).get('src/main.ts')).toBe(SENTINEL);

    // The sibling's export goes async: the snapshot is the same, the disk is not.
    fs.writeFileSync(
      path.join(dir, 'packages/lib/src/load.ts'),
      'export async function load(): Promise<number> { return 1; }\n',
    );
    const cacheDir = storeWith(sentinel);
    const recomputed = closureDigestsFor(snapshot, cacheDir);
    expect(recomputed.get('src/main.ts')).not.toBe(SENTINEL);
    expect(recomputed.get('src/main.ts')).not.toBe(computed.get('src/main.ts'));
    expect(recomputed.get('src/plain.ts')).toBe(computed.get('src/plain.ts'));
    // And the store now holds the recomputed table.
    const rewritten = JSON.parse(fs.readFileSync(storedFileIn(cacheDir), 'utf8')) as { digests: unknown };
    expect(rewritten.digests).toEqual(Object.fromEntries(recomputed));
  });

  it('treats a malformed stored table as absent: recomputes, never throws', () => {
    const { computed, stored } = computeAndStore();
    const disk = stored.disk as Record<string, Record<string, unknown>>;
    const withDisk = (part: string, value: unknown) => ({ ...stored, disk: { ...disk, [part]: value } });
    const malformed: [string, unknown][] = [
      ['null', null],
      ['an array', []],
      ['digests null', { ...stored, digests: null }],
      ['a digest not a string', { ...stored, digests: { 'src/main.ts': 1 } }],
      ['disk null', { ...stored, disk: null }],
      ...['stats', 'reads', 'reals', 'dirs'].map((part): [string, unknown] => [
        `no disk.${part}`,
        withDisk(part, undefined),
      ]),
      ['a stat not a string', withDisk('stats', { '/x': 1 })],
      ['a dirs entry not an array', withDisk('dirs', { ...disk.dirs, [dir]: null })],
      ['a dirs entry holding a non-string', withDisk('dirs', { ...disk.dirs, [dir]: [1] })],
      ['another scheme', { ...stored, scheme: 'closure-table/2' }],
    ];
    for (const [, table] of malformed) {
      expect(Object.fromEntries(closureDigestsFor(snapshot, storeWith(table)))).toEqual(
        Object.fromEntries(computed),
      );
    }
  });
});
