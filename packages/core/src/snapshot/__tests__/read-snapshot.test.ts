import fs from 'node:fs';
import path from 'node:path';
import { filesIndexRecordSchema } from '../../schemas/snapshot-record';
import { writeFixtureCorpus } from '../../test-support/fixture-corpus';
import { makeTempDir } from '../../test-support/temp-dir';
import { createSnapshot } from '../create-snapshot';
import { listSnapshots, readFilesIndex, readSnapshotRecord } from '../read-snapshot';
import { listTree, newStore } from './helpers';

describe('reading snapshots', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  beforeEach(() => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'src');
    writeFixtureCorpus(src);
  });
  afterEach(() => {
    delete process.env.CODEBATCH_FIXED_TIME;
    tmp.cleanup();
  });

  it('E_SNAPSHOT_NOT_FOUND with a hint; E_INVALID_ID for ids that are not ids', () => {
    const store = newStore(tmp.dir);
    expect(() => readSnapshotRecord(store, 'nope')).toThrow(
      expect.objectContaining({
        code: 'E_SNAPSHOT_NOT_FOUND',
        hints: [expect.stringContaining('snapshot list')],
      }),
    );
    expect(() => readFilesIndex(store, 'nope')).toThrow(
      expect.objectContaining({ code: 'E_SNAPSHOT_NOT_FOUND' }),
    );
    expect(() => readSnapshotRecord(store, '../x')).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ID' }),
    );
  });

  it("parses each of two snapshots' files indexes once when a comparison reads them in turn, and still checks their bytes", async () => {
    const store = newStore(tmp.dir);
    const a = (await createSnapshot(store, src)).record.snapshot_id;
    fs.writeFileSync(path.join(src, 'added.ts'), 'export const added = 1;\n');
    const b = (await createSnapshot(store, src)).record.snapshot_id;
    expect(b).not.toBe(a);
    const first = { a: readFilesIndex(store, a), b: readFilesIndex(store, b) };
    const parse = jest.spyOn(filesIndexRecordSchema, 'safeParse');
    try {
      for (let i = 0; i < 3; i++) {
        expect(readFilesIndex(store, a)).toEqual(first.a);
        expect(readFilesIndex(store, b)).toEqual(first.b);
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    fs.appendFileSync(store.layout.filesIndexFile(a), '\n');
    expect(() => readFilesIndex(store, a)).toThrow(expect.objectContaining({ code: 'E_INDEX_CORRUPT' }));
  });

  it('lists snapshots by created_at, then id, and never writes', () => {
    const store = newStore(tmp.dir);
    expect(listSnapshots(store)).toEqual([]);
    process.env.CODEBATCH_FIXED_TIME = '2026-01-02T00:00:00Z';
    createSnapshot(store, src, { id: 'b-later', git: false });
    process.env.CODEBATCH_FIXED_TIME = '2026-01-01T00:00:00Z';
    createSnapshot(store, src, { id: 'z-first', git: false });
    createSnapshot(store, src, { id: 'a-first', git: false });
    fs.mkdirSync(path.join(store.layout.root, 'snapshots', 'incomplete'));
    fs.mkdirSync(path.join(store.layout.root, 'snapshots', 'not an id'));
    const before = listTree(store.layout.root);
    expect(listSnapshots(store).map((r) => r.snapshot_id)).toEqual(['a-first', 'z-first', 'b-later']);
    expect(listTree(store.layout.root)).toEqual(before);
  });

  it('readFilesIndex checks the index against files_index_digest', () => {
    const store = newStore(tmp.dir);
    const { record, files } = createSnapshot(store, src, { git: false });
    expect(readFilesIndex(store, record.snapshot_id)).toEqual(files);
    const file = store.layout.filesIndexFile(record.snapshot_id);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"size":0', '"size":1'));
    expect(() => readFilesIndex(store, record.snapshot_id)).toThrow(
      expect.objectContaining({ code: 'E_INDEX_CORRUPT' }),
    );
  });

  it('a damaged snapshot.json is E_RECORD_INVALID, not a crash', () => {
    const store = newStore(tmp.dir);
    const { record } = createSnapshot(store, src, { git: false });
    fs.writeFileSync(store.layout.snapshotFile(record.snapshot_id), '{"schema_name":"other"}');
    expect(() => readSnapshotRecord(store, record.snapshot_id)).toThrow(
      expect.objectContaining({ code: 'E_RECORD_INVALID' }),
    );
    expect(listSnapshots(store)).toEqual([]);
  });
});
