import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { makeTempDir } from '../../test-support/temp-dir';
import { initStore } from '../store';

describe('ObjectStore', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('names objects by the sha256 of their bytes, as an independent implementation computes it', () => {
    const { store } = initStore(path.join(tmp.dir, 's'));
    const data = Buffer.from('hello\u00e9\n');
    const hex = store.objects.writeObject(data);
    expect(hex).toBe(bytesToHex(sha256(data)));
    const expectedPath = path.join(
      store.layout.root,
      'objects',
      'sha256',
      hex.slice(0, 2),
      hex.slice(2, 4),
      hex,
    );
    expect(fs.readFileSync(expectedPath)).toEqual(data);
  });

  it('deduplicates identical content and leaves no temp files behind', () => {
    const { store } = initStore(path.join(tmp.dir, 's'));
    const a = store.objects.writeObject('same');
    const b = store.objects.writeObject(Buffer.from('same'));
    expect(a).toBe(b);
    expect([...store.objects.listObjects()]).toEqual([a]);
    expect(fs.readdirSync(store.layout.tmpDir)).toEqual([]);
  });

  it('writing an object that is there already refreshes its times, and one that is not is written', () => {
    const { store } = initStore(path.join(tmp.dir, 's'));
    const hex = store.objects.writeObject('shared members');
    const file = store.objects.objectPath(hex);
    const old = new Date(Date.now() - 3 * 3600_000);
    fs.utimesSync(file, old, old);
    expect(store.objects.writeObject('shared members')).toBe(hex);
    expect(Date.now() - fs.statSync(file).mtimeMs).toBeLessThan(60_000);
    const other = store.objects.writeObject(Buffer.from('new bytes'));
    expect(fs.readFileSync(store.objects.objectPath(other), 'utf8')).toBe('new bytes');
    expect(fs.readdirSync(store.layout.tmpDir)).toEqual([]);
  });

  it('leaves the times of an object refreshed minutes ago as they are, so its ctime still holds', () => {
    const { store } = initStore(path.join(tmp.dir, 's'));
    const hex = store.objects.writeObject('index bytes');
    const file = store.objects.objectPath(hex);
    const recent = new Date(Date.now() - 60_000);
    fs.utimesSync(file, recent, recent);
    const before = fs.statSync(file);
    expect(store.objects.writeObject('index bytes')).toBe(hex);
    const stat = fs.statSync(file);
    const same = store.objects.linkObject(hex, file, { ...before }, Buffer.from('index bytes'));
    expect(same).toBe('present');
    const after = fs.statSync(file);
    // The index digest cache keys on mtime and ctime: a refresh on every reuse hashed it every run.
    for (const s of [stat, after]) {
      expect(s.mtimeMs).toBe(before.mtimeMs);
      expect(s.ctimeMs).toBe(before.ctimeMs);
    }
  });

  it('detects corruption on verified reads and in verifyObject', () => {
    const { store } = initStore(path.join(tmp.dir, 's'));
    const hex = store.objects.writeObject('payload');
    fs.writeFileSync(store.objects.objectPath(hex), 'tampered');
    expect(store.objects.verifyObject(hex)).toBe('corrupt');
    expect(() => store.objects.readObjectVerified(hex)).toThrow(
      expect.objectContaining({ code: 'E_OBJECT_CORRUPT' }),
    );
    expect(store.objects.verifyObject('0'.repeat(64))).toBe('missing');
    expect(() => store.objects.readObject('0'.repeat(64))).toThrow(
      expect.objectContaining({ code: 'E_OBJECT_NOT_FOUND' }),
    );
  });

  it('stays consistent when several processes write the same objects at once', async () => {
    const { store } = initStore(path.join(tmp.dir, 's'));
    const storeModule = path.resolve(__dirname, '../../../dist/store/store.js');
    const script = `
      const { openStore } = require(${JSON.stringify(storeModule)});
      const s = openStore(process.argv[1]);
      for (let round = 0; round < 3; round++)
        for (let i = 0; i < 100; i++) s.objects.writeObject('object-' + i + '-' + 'x'.repeat(i * 500));
    `;
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['-e', script, store.layout.root], { stdio: 'inherit' }),
    );
    const codes = await Promise.all(children.map((c) => new Promise((resolve) => c.on('exit', resolve))));
    expect(codes).toEqual([0, 0, 0, 0]);
    const all = [...store.objects.listObjects()];
    expect(all).toHaveLength(100);
    for (const hex of all) expect(store.objects.verifyObject(hex)).toBe('ok');
    expect(fs.readdirSync(store.layout.tmpDir)).toEqual([]);
  });
});
