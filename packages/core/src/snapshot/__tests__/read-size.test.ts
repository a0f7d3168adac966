import fs from 'node:fs';
import path from 'node:path';
import { writeFixtureCorpus } from '../../test-support/fixture-corpus';
import { makeTempDir } from '../../test-support/temp-dir';
import { sha256Hex } from '../../util/hash';
import { createSnapshot } from '../create-snapshot';
import { FileBytesReader, MAX_FILE_BYTES } from '../read-file-bytes';
import { newStore } from './helpers';

/** A file's bytes are stored only when exactly as many came back as lstat said (issue 12). */
describe('snapshot: bytes read must match the stat size', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  beforeEach(() => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'src');
    writeFixtureCorpus(src);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    tmp.cleanup();
  });

  const isAux = (file: fs.PathLike) => String(file).endsWith(`${path.sep}aux.js`);
  const auxBytes = () => fs.readFileSync(path.join(src, 'aux.js'));

  it('skips a file whose read returns fewer bytes than its stat size, storing nothing of it', () => {
    const realRead = FileBytesReader.prototype.read;
    jest.spyOn(FileBytesReader.prototype, 'read').mockImplementation(function (
      this: FileBytesReader,
      file: string,
      expectedSize: number,
    ) {
      const bytes = realRead.call(this, file, expectedSize);
      return isAux(file) ? bytes.subarray(0, 5) : bytes;
    });
    const store = newStore(tmp.dir);
    const { files, record } = createSnapshot(store, src, { git: false, statCache: false });
    expect(files.some((f) => f.path === 'aux.js')).toBe(false);
    expect(files.some((f) => f.path === 'a:b.ts')).toBe(true);
    expect(record.warnings).toEqual([
      {
        code: 'unreadable',
        path: 'aux.js',
        message: `size changed while reading (${auxBytes().length} bytes at stat, 5 read); skipped`,
      },
    ]);
    expect(store.objects.hasObject(sha256Hex(auxBytes().subarray(0, 5)))).toBe(false);
  });

  it('skips a file that reads back as empty (a failed large read) instead of storing the empty object', () => {
    const realReadSync = fs.readSync;
    const auxFd = new Set<number>();
    const realOpen = fs.openSync;
    jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      const fd = (realOpen as (...a: unknown[]) => number)(file, ...rest);
      if (isAux(file)) auxFd.add(fd);
      return fd;
    }) as typeof fs.openSync);
    // The first read of aux.js comes back empty, as a 2-4 GiB read did; its fd number is then
    // free for reuse by later files.
    jest.spyOn(fs, 'readSync').mockImplementation(((fd: number, ...rest: unknown[]) => {
      if (auxFd.delete(fd)) return 0;
      return (realReadSync as (...a: unknown[]) => number)(fd, ...rest);
    }) as typeof fs.readSync);
    const store = newStore(tmp.dir);
    const { files, record } = createSnapshot(store, src, { git: false, statCache: false });
    expect(files.some((f) => f.path === 'aux.js')).toBe(false);
    expect(record.warnings).toEqual([
      expect.objectContaining({
        code: 'unreadable',
        path: 'aux.js',
        message: expect.stringMatching(/size changed while reading/),
      }),
    ]);
  });

  it('skips a file that grew while it was read', () => {
    const realRead = FileBytesReader.prototype.read;
    jest.spyOn(FileBytesReader.prototype, 'read').mockImplementation(function (
      this: FileBytesReader,
      file: string,
      expectedSize: number,
    ) {
      if (isAux(file)) fs.appendFileSync(file, '// appended while reading\n');
      return realRead.call(this, file, expectedSize);
    });
    const { files, record } = createSnapshot(newStore(tmp.dir), src, { git: false, statCache: false });
    expect(files.some((f) => f.path === 'aux.js')).toBe(false);
    expect(record.warnings).toEqual([
      expect.objectContaining({
        code: 'unreadable',
        path: 'aux.js',
        message: expect.stringMatching(/, more read\)/),
      }),
    ]);
  });

  it('skips a file above the read limit with a warning, without opening it', () => {
    const realLstat = fs.lstatSync;
    const huge = 3 * 2 ** 30; // between 2 and 4 GiB: used to be stored as the empty object
    jest.spyOn(fs, 'lstatSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      const stat = (realLstat as (...a: unknown[]) => fs.Stats | undefined)(file, ...rest);
      if (stat && isAux(file)) stat.size = huge;
      return stat;
    }) as typeof fs.lstatSync);
    const openSpy = jest.spyOn(fs, 'openSync');
    const store = newStore(tmp.dir);
    const { files, record } = createSnapshot(store, src, { git: false, statCache: false });
    expect(files.some((f) => f.path === 'aux.js')).toBe(false);
    expect(openSpy.mock.calls.some(([file]) => isAux(file))).toBe(false);
    expect(record.warnings).toEqual([
      {
        code: 'unreadable',
        path: 'aux.js',
        message: `file is too large to read whole (${huge} bytes, limit ${MAX_FILE_BYTES}); skipped`,
      },
    ]);
  });
});
