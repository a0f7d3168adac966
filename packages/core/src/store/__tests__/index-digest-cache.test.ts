import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../api/analyze';
import { readShardState } from '../../batch/shard-state';
import { createDefaultRegistry } from '../../tasks/default-registry';
import { objectAstSources } from '../../test-support/object-ast-sources';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import * as hash from '../../util/hash';
import { RACY_WINDOW_MS } from '../../util/time';
import { writeFileAtomic } from '../atomic-write';
import { loadIndexDigests, saveIndexDigests } from '../index-digest-cache';
import {
  forgetIndexDigests,
  markObjectsPresent,
  readIndexFile,
  rememberIndexDigest,
} from '../read-index-file';
import { initStore } from '../store';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records every hex digest computed through node:crypto while it is on. */
function recordDigests(): { digests: string[]; stop: () => void } {
  const digests: string[] = [];
  const real = crypto.createHash;
  const spy = jest.spyOn(crypto, 'createHash').mockImplementation((...args: Parameters<typeof real>) => {
    const h = real(...args);
    const digest = h.digest.bind(h);
    h.digest = ((encoding?: crypto.BinaryToTextEncoding) => {
      const out = encoding ? digest(encoding) : digest();
      digests.push(typeof out === 'string' ? out : out.toString('hex'));
      return out;
    }) as typeof h.digest;
    return h;
  });
  return { digests, stop: () => spy.mockRestore() };
}

/** The digests computed while `fn` ran. */
function hashedDuring(fn: () => void): string[] {
  const rec = recordDigests();
  try {
    fn();
    return rec.digests;
  } finally {
    rec.stop();
  }
}

describe('the store index digest cache', () => {
  afterEach(() => forgetIndexDigests());

  it('lets a later process skip hashing an unchanged index, and never vouches for one changed, written late, or copied', async () => {
    const tmp = makeTempDir();
    try {
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const dir = path.join(store.layout.root, 'batches', 'b1', 'tasks', 't', 'shards');
      const a = path.join(dir, '00', 'outputs.index.jsonl');
      const b = path.join(dir, '01', 'outputs.index.jsonl');
      fs.mkdirSync(path.dirname(a), { recursive: true });
      fs.mkdirSync(path.dirname(b), { recursive: true });
      writeFileAtomic(a, '{"kind":"a"}\n');
      writeFileAtomic(b, '{"kind":"b"}\n');
      await wait(RACY_WINDOW_MS + 100); // both are older than the next run's racy window
      const late = path.join(dir, '02', 'outputs.index.jsonl');
      fs.mkdirSync(path.dirname(late), { recursive: true });
      writeFileAtomic(late, '{"kind":"late"}\n'); // hashed within the racy window
      const digests = [a, b, late].map((f) => readIndexFile(f)!.hex);
      // A writer's own record of what it wrote is never saved: no process hashed those bytes.
      const written = path.join(dir, '03', 'outputs.index.jsonl');
      fs.mkdirSync(path.dirname(written), { recursive: true });
      writeFileAtomic(written, '{"kind":"written"}\n');
      const old = new Date(Date.now() - 10 * RACY_WINDOW_MS);
      fs.utimesSync(written, old, old);
      rememberIndexDigest(written, 'f'.repeat(64));
      saveIndexDigests(store);

      // A new process: the two old files' digests are taken, the late one's is not.
      forgetIndexDigests();
      expect(loadIndexDigests(store)).toBe(2);
      expect(hashedDuring(() => expect(readIndexFile(a)!.hex).toBe(digests[0]))).toEqual([]);
      expect(hashedDuring(() => expect(readIndexFile(late)!.hex).toBe(digests[2]))).toEqual([digests[2]]);

      // Edited in place, same size, mtime put back: ctime moved, so it is hashed again.
      const { mtime } = fs.statSync(b);
      fs.writeFileSync(b, '{"kind":"x"}\n');
      fs.utimesSync(b, mtime, mtime);
      const edited = hash.sha256Hex(fs.readFileSync(b));
      expect(edited).not.toBe(digests[1]);
      expect(hashedDuring(() => expect(readIndexFile(b)!.hex).toBe(edited))).toEqual([edited]);

      // A copy of the store (as a cache restore makes): new inodes, every index hashed again.
      const copy = path.join(tmp.dir, 'copy');
      fs.cpSync(store.layout.root, copy, { recursive: true, preserveTimestamps: true });
      forgetIndexDigests();
      const copied = initStore(copy).store;
      loadIndexDigests(copied);
      const copyOfA = path.join(copy, path.relative(store.layout.root, a));
      expect(hashedDuring(() => expect(readIndexFile(copyOfA)!.hex).toBe(digests[0]))).toEqual([digests[0]]);

      // A damaged cache is ignored.
      fs.writeFileSync(path.join(store.layout.indexesDir, 'index-digests.json'), '{"schema_name":');
      forgetIndexDigests();
      expect(loadIndexDigests(store)).toBe(0);
    } finally {
      tmp.cleanup();
    }
  }, 20_000);

  it('keeps for the next process that an index was found with its objects, never for a copy or another index', async () => {
    const tmp = makeTempDir();
    try {
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const dir = path.join(store.layout.root, 'batches', 'b1', 'tasks', 't', 'shards');
      const [found, other] = ['00', '01'].map((s) => path.join(dir, s, 'outputs.index.jsonl'));
      for (const f of [found!, other!]) {
        fs.mkdirSync(path.dirname(f), { recursive: true });
        writeFileAtomic(f, `{"kind":"ast","object":"sha256:${'a'.repeat(64)}","at":"${f}"}\n`);
      }
      await wait(RACY_WINDOW_MS + 100);
      const read = readIndexFile(found!)!;
      expect(read.objectsPresent).toBe(false);
      markObjectsPresent(found!, read);
      expect(readIndexFile(found!)!.objectsPresent).toBe(true);
      expect(readIndexFile(other!)!.objectsPresent).toBe(false);
      saveIndexDigests(store);

      forgetIndexDigests();
      loadIndexDigests(store);
      expect(readIndexFile(found!)!.objectsPresent).toBe(true);
      expect(readIndexFile(other!)!.objectsPresent).toBe(false);

      // A copy (a restored cache): its inodes are new, so nothing it claims is taken.
      const copy = path.join(tmp.dir, 'copy');
      fs.cpSync(store.layout.root, copy, { recursive: true, preserveTimestamps: true });
      forgetIndexDigests();
      loadIndexDigests(initStore(copy).store);
      expect(readIndexFile(path.join(copy, path.relative(store.layout.root, found!)))!.objectsPresent).toBe(
        false,
      );

      // Replaced (a new inode, as every rewrite is): found again only by a new look.
      forgetIndexDigests();
      loadIndexDigests(store);
      writeFileAtomic(found!, fs.readFileSync(found!));
      expect(readIndexFile(found!)!.objectsPresent).toBe(false);
    } finally {
      tmp.cleanup();
    }
  }, 20_000);

  it("keeps what it knew of a reuse's source index through the reuse: the next process neither hashes it nor looks up its objects", async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      writeTree(src, objectAstSources(24));
      const options = {
        storeDir: path.join(tmp.dir, 'store'),
        sourceDir: src,
        pipeline: 'parse' as const,
        parallel: 1,
        registry: createDefaultRegistry(),
      };
      const edit = (n: number) =>
        fs.appendFileSync(path.join(src, 'm0.ts'), `export const edit${n} = ${n};\n`);
      await analyze(options);
      // Each later check edits one file, so the other shards are reused from the first batch.
      // The first reuse links the sources' indexes into objects (their ctime moves), so only a
      // second reuse can find them as an earlier process left them.
      for (let n = 1; n <= 2; n += 1) {
        await wait(RACY_WINDOW_MS + 100);
        edit(n);
        forgetIndexDigests();
        await analyze(options);
      }
      await wait(RACY_WINDOW_MS + 100);
      edit(3);
      forgetIndexDigests();
      const rec = recordDigests();
      const exists = jest.spyOn(fs, 'existsSync');
      let last: Awaited<ReturnType<typeof analyze>>;
      let looked: string[];
      try {
        last = await analyze(options);
        looked = exists.mock.calls.map(([f]) => String(f));
      } finally {
        exists.mockRestore();
        rec.stop();
      }
      const { store } = initStore(options.storeDir);
      const sources: { file: string; hex: string }[] = [];
      for (const task of fs.readdirSync(path.join(store.layout.batchDir(last.batchId), 'tasks')))
        for (const shard of fs.readdirSync(store.layout.shardsDir(last.batchId, task))) {
          const ref = readShardState(store, last.batchId, task, shard).outputs_ref;
          if (!ref?.from) continue;
          const from = ref.from as { batch_id: string; task_id: string; shard_id: string };
          sources.push({
            file: store.layout.outputsFile(from.batch_id, from.task_id, from.shard_id),
            hex: ref.object.replace(/^sha256:/, ''),
          });
        }
      // Empty indexes (a shard without records) share the digest of no bytes, which anything may
      // compute: the others tell.
      const EMPTY = crypto.createHash('sha256').digest('hex');
      const telling = sources.filter((s) => s.hex !== EMPTY);
      expect(telling.length).toBeGreaterThan(5);
      const hashed = new Set(rec.digests);
      expect(telling.filter((s) => hashed.has(s.hex))).toEqual([]);
      // The ASTs those indexes name, none of which the last check looked up.
      const asts = new Set<string>();
      for (const s of telling)
        for (const line of fs.readFileSync(s.file, 'utf8').split('\n').filter(Boolean)) {
          const object = (JSON.parse(line) as { object?: string }).object;
          if (object) asts.add(store.objects.objectPath(object.replace(/^sha256:/, '')));
        }
      expect(asts.size).toBeGreaterThan(10);
      expect(looked.filter((f) => asts.has(f))).toEqual([]);
      // And the mark that their objects were found rode along with the digests.
      forgetIndexDigests();
      loadIndexDigests(store);
      expect(sources.filter((s) => !readIndexFile(s.file)?.objectsPresent)).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  }, 60_000);

  it("an unchanged tree's second check after the first hashes none of the batch's indexes", async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      writeTree(src, {
        'a.ts': 'export const a = 1;\n',
        'b.ts': 'export function b() {}\n',
        'c.md': '# c\n',
      });
      const options = {
        storeDir: path.join(tmp.dir, 'store'),
        sourceDir: src,
        pipeline: 'full' as const,
        parallel: 1,
        registry: createTestRegistry(),
        reuseDoneBatch: true,
      };
      const first = await analyze(options);
      await wait(RACY_WINDOW_MS + 100);
      forgetIndexDigests();
      const hashing = recordDigests();
      try {
        await analyze(options); // hashes every index, and saves their digests
      } finally {
        hashing.stop();
      }
      await wait(RACY_WINDOW_MS + 100);
      forgetIndexDigests();
      const rec = recordDigests();
      let again: Awaited<ReturnType<typeof analyze>>;
      try {
        again = await analyze(options);
      } finally {
        rec.stop();
      }
      const hashed = new Set(rec.digests.map((hex) => `sha256:${hex}`));
      expect(again.batchId).toBe(first.batchId);
      const { store } = initStore(options.storeDir);
      const digests: string[] = [];
      for (const task of fs.readdirSync(path.join(store.layout.batchDir(first.batchId), 'tasks')))
        for (const shard of fs.readdirSync(store.layout.shardsDir(first.batchId, task))) {
          const d = readShardState(store, first.batchId, task, shard).outputs_digest;
          if (d) digests.push(d);
        }
      expect(digests.length).toBeGreaterThan(2);
      // Without the cache the check hashes every index; with it, none.
      const before = new Set(hashing.digests.map((hex) => `sha256:${hex}`));
      expect(digests.filter((d) => !before.has(d))).toEqual([]);
      expect(digests.filter((d) => hashed.has(d))).toEqual([]);
      expect(again.diagnostics).toEqual(first.diagnostics);
    } finally {
      tmp.cleanup();
    }
  }, 30_000);
});
