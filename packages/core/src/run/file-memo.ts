import fs from 'node:fs';
import path from 'node:path';
import { readShardState } from '../batch/shard-state';
import { tempName } from '../store/atomic-write';
import { appendJsonl, toJsonl } from '../store/jsonl';
import { isMemoLine } from '../store/memo-line';
import type { Store } from '../store/store';
import { canonicalJson } from '../util/canonical-json';
import { groupByPath } from '../util/group-by-path';
import { sha256Hex } from '../util/hash';
import { fingerprintOf, type StatFingerprint, sameFingerprint } from '../util/stat-fingerprint';
import { readCommittedIndex } from './committed-outputs';
import { type TaskIdentityParts, taskIdentity } from './input-bundle';
import { type RecordText, splitIndexRecords } from './record-text';

/**
 * Per-file memo: the input-bundle idea one level down. A file's outputs for a task depend only
 * on (task id and version, config, chunking, path, content, that file's upstream outputs), so
 * they can be taken from any earlier shard run that saw the same key, in any batch, whatever
 * shard the file sat in. The table is append-only JSONL under indexes/ (SPEC invariant 6:
 * deletable; a miss just executes), and every hit is verified against its source before use.
 */
export interface MemoEntry {
  /** File key (hex). */
  k: string;
  /** Batch and shard whose committed outputs hold this file's records. */
  b: string;
  s: string;
  /** Number of records for the file (0 is a valid, memoised answer). */
  n: number;
}

/** bundle hash -> a done shard that produced it (shard-level reuse across batches). */
export interface BundleEntry {
  h: string;
  b: string;
  s: string;
}

export interface FileKeyParts extends TaskIdentityParts {
  path: string;
  object: string;
  upstream: { task_id: string; digest: string }[];
  /** What the task's `fileKeys` adds (the ESLint config for the file, its type closure). */
  extra?: unknown;
  /**
   * Digest of the task's `environment` (parser versions, grammar hashes), for tasks without
   * `fileKeys`: their environment applies to every file alike, so a change must miss every
   * key. A task with `fileKeys` puts what of its environment matters to a file there (ESLint:
   * the config that applies to that file), so an edit to one config misses only its files.
   */
  environment?: string;
}

/**
 * The key of one file's records: sha256 of the canonical JSON of the task's identity (input
 * bundle's taskIdentity), the file's path and object, its upstream digests and, when present,
 * `extra` and `environment` (absent, not null, when there is none: keys of tasks without an
 * environment stay as they were). The runner keys a shard's files through createFileKeyer.
 */
export function computeFileKey(parts: FileKeyParts): string {
  return createFileKeyer(parts)(parts);
}

/** A file's own part of its key: FileKeyParts without the task's identity. */
export type FileKeyOwnParts = Omit<FileKeyParts, keyof TaskIdentityParts>;

/**
 * computeFileKey for the files of one task: the canonical encoding of the task's identity is
 * built once, and each file's key encodes only that file's parts, spliced in at the places key
 * order gives them (a test holds the bytes equal to canonicalJson of the whole). A cold run
 * computes one per file and task, and encoding the identity each time took 28 ms of a shard's
 * 550 files in two tasks.
 */
export function createFileKeyer(identity: TaskIdentityParts): (file: FileKeyOwnParts) => string {
  const fixed = taskIdentity(identity) as Record<string, unknown>;
  const templates = new Map<string, { key: string; encoded?: string }[]>();
  const templateFor = (ownKeys: string[]) => {
    const signature = ownKeys.join(',');
    let template = templates.get(signature);
    if (!template) {
      const keys = [...Object.keys(fixed).filter((k) => fixed[k] !== undefined), ...ownKeys].sort();
      template = keys.map((key) =>
        key in fixed && !ownKeys.includes(key)
          ? { key, encoded: `${JSON.stringify(key)}:${canonicalJson(fixed[key])}` }
          : { key },
      );
      templates.set(signature, template);
    }
    return template;
  };
  return (file) => {
    const own: Record<string, unknown> = { path: file.path, object: file.object, upstream: file.upstream };
    if (file.extra !== undefined) own.extra = file.extra;
    if (file.environment !== undefined) own.environment = file.environment;
    let out = '{';
    for (const part of templateFor(Object.keys(own))) {
      if (out.length > 1) out += ',';
      out += part.encoded ?? `${JSON.stringify(part.key)}:${canonicalJson(own[part.key])}`;
    }
    return sha256Hex(`${out}}`);
  };
}

// How the engine writes a line (JSON.stringify of {k|h, b, s, n?}): the key is at a fixed place.
const FILE_LINE = '{"k":"';
const BUNDLE_LINE = '{"h":"';
const KEY_START = FILE_LINE.length;
const KEY_END = KEY_START + 64;
const QUOTE = 34;
const CLOSE_BRACE = 125;

/** Below this many lines a table loads in a few milliseconds, whatever it holds. */
export const MEMO_COMPACT_MIN_LINES = 20_000;

interface SourceShard {
  byPath: Map<string, RecordText[]>;
}

/**
 * One append-only table per task id holds both kinds of entry (file keys and bundle hashes),
 * so a shard commit costs one append, not a file creation per entry.
 */
export class FileMemo {
  /** Entries by key; a line still as read from disk stays a string until it is looked up. */
  private table: Map<string, MemoEntry | string> | undefined;
  private bundles: Map<string, BundleEntry | string> | undefined;
  private dirReady = false;
  private pending: (MemoEntry | BundleEntry)[] = [];
  /** The table file as load() found it (undefined: absent), for isCurrent(). */
  private loadedAs: StatFingerprint | undefined;
  private readonly sources = new Map<string, SourceShard | null>();

  constructor(
    private readonly store: Store,
    private readonly taskId: string,
  ) {}

  private get file(): string {
    return path.join(this.store.layout.indexesDir, 'memo', `${this.taskId}.jsonl`);
  }

  /**
   * Reads the table. Lines as the engine writes them (`{"k":"<64 hex>",...` or `{"h":...`) are
   * keyed by slicing and parsed only when looked up: a run looks up a few hundred of a table's
   * tens of thousands of lines, and parsing them all was most of loading it. Other lines are
   * parsed now; a line that does not parse (an appender killed mid-line) is skipped, which costs
   * a future miss, never an error.
   */
  private load(): Map<string, MemoEntry | string> {
    if (this.table) return this.table;
    this.table = new Map();
    this.bundles = new Map();
    let text = '';
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.file, 'r');
      // Stat before reading: an append in between makes isCurrent() false, never true wrongly.
      const before = fingerprintOf(fs.fstatSync(fd));
      text = fs.readFileSync(fd, 'utf8');
      this.loadedAs = before;
    } catch {
      return this.table;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    let lines = 0;
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      if (end > start) {
        lines += 1;
        this.loadLine(text.slice(start, end));
      }
      start = end + 1;
    }
    const live = this.table.size + this.bundles.size;
    if (lines >= MEMO_COMPACT_MIN_LINES && lines > 2 * live) this.compact(Buffer.byteLength(text));
    return this.table;
  }

  private loadLine(line: string): void {
    // Whole as the engine writes it: a line cut short (no closing brace) or glued to the next
    // append (a second brace) is parsed now, fails and is skipped, and so does not hide an
    // earlier good entry of its key.
    const keyed =
      line.length > KEY_END &&
      line.charCodeAt(KEY_END) === QUOTE &&
      line.charCodeAt(line.length - 1) === CLOSE_BRACE &&
      line.indexOf('{', 1) === -1;
    if (keyed && line.startsWith(FILE_LINE)) this.table!.set(line.slice(KEY_START, KEY_END), line);
    else if (keyed && line.startsWith(BUNDLE_LINE)) this.bundles!.set(line.slice(KEY_START, KEY_END), line);
    else {
      let e: unknown;
      try {
        e = JSON.parse(line);
      } catch {
        return;
      }
      if (!isMemoLine(e)) return;
      if ('k' in e) this.table!.set(e.k, e as MemoEntry);
      else this.bundles!.set(e.h, e as BundleEntry);
    }
  }

  private entryOf<T extends MemoEntry | BundleEntry>(
    map: Map<string, T | string>,
    key: string,
    field: 'k' | 'h',
  ): T | undefined {
    const raw = map.get(key);
    if (typeof raw !== 'string') return raw;
    let e: unknown;
    try {
      e = JSON.parse(raw);
    } catch {
      e = undefined;
    }
    if (!isMemoLine(e) || (e as Record<string, unknown>)[field] !== key) {
      map.delete(key);
      return undefined;
    }
    map.set(key, e as T);
    return e as T;
  }

  /**
   * Every batch that executes a shard appends an entry per file, also for files it took from
   * the memo, so a long-lived store (an Nx workspace that never runs gc) would load ever more
   * superseded lines. Rewrites the table with the last entry per key, unless it grew since it
   * was read: an entry appended between that check and the rename is lost, which costs one
   * future re-execution of that file and never a wrong result.
   */
  private compact(bytesRead: number): void {
    const tmp = path.join(path.dirname(this.file), tempName(path.basename(this.file)));
    try {
      const entries = [...this.bundles!.values(), ...this.table!.values()];
      const text = entries.map((e) => (typeof e === 'string' ? `${e}\n` : toJsonl([e]))).join('');
      fs.writeFileSync(tmp, text, { flag: 'wx' });
      if (fs.statSync(this.file).size === bytesRead) {
        fs.renameSync(tmp, this.file);
        // This memo holds what it just wrote, so a memo read ahead stays current. (Stat after the
        // rename, which sets ctime; an append in between is missed: a re-execution, not a result.)
        this.loadedAs = fingerprintOf(fs.statSync(this.file));
      }
    } catch {
      // Acceleration only: a table left long is slower to load, not wrong.
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  /** Reads the table now (a prewarmed worker does, while the main thread snapshots). */
  preload(): void {
    this.load();
  }

  /**
   * Whether the table is still what this memo read: nothing appended or rewritten since, and
   * nothing of its own waiting to be written. A memo read ahead of a run serves it only then;
   * otherwise an entry another run appended meanwhile would be missed (a re-execution).
   */
  isCurrent(): boolean {
    if (!this.table || this.pending.length > 0) return false;
    let now: StatFingerprint | undefined;
    try {
      now = fingerprintOf(fs.statSync(this.file));
    } catch {
      now = undefined;
    }
    return now === undefined || this.loadedAs === undefined
      ? now === this.loadedAs
      : sameFingerprint(now, this.loadedAs);
  }

  /** Where a done shard with this bundle hash was committed, if known (re-verified by the caller). */
  lookupBundle(hash: string): { batch_id: string; shard_id: string } | undefined {
    this.load();
    const e = this.entryOf(this.bundles!, hash, 'h');
    return e && { batch_id: e.b, shard_id: e.s };
  }

  /**
   * The file's records from its memo source, or undefined (execute instead) unless the
   * source shard is done, its index matches its recorded digest, it holds exactly `n`
   * records for the path, and every object those records reference exists.
   */
  lookup(key: string, filePath: string): RecordText[] | undefined {
    const entry = this.entryOf(this.load(), key, 'k');
    if (!entry) return undefined;
    const source = this.readSource(entry.b, entry.s);
    if (!source) return undefined;
    const records = source.byPath.get(filePath) ?? [];
    if (records.length !== entry.n) return undefined;
    return records;
  }

  private readSource(batchId: string, shardId: string): SourceShard | undefined {
    const id = `${batchId}/${shardId}`;
    const cached = this.sources.get(id);
    if (cached !== undefined) return cached ?? undefined;
    let result: SourceShard | null = null;
    try {
      const location = { batch_id: batchId, task_id: this.taskId, shard_id: shardId };
      const stored = readCommittedIndex(
        this.store,
        location,
        readShardState(this.store, batchId, this.taskId, shardId),
        {
          checkObjects: true,
        },
      );
      if (stored) result = { byPath: groupByPath(splitIndexRecords(stored.bytes)) };
    } catch {
      result = null;
    }
    // Keep only a few sources: a shard's files mostly come from one or two earlier shards.
    if (this.sources.size > 16) this.sources.clear();
    this.sources.set(id, result);
    return result ?? undefined;
  }

  /** Queues entries of a committed shard; visible to this process at once, written by flush(). */
  record(entries: readonly (MemoEntry | BundleEntry)[]): void {
    this.load();
    for (const e of entries) {
      if ('k' in e) this.table!.set(e.k, e);
      else this.bundles!.set(e.h, e);
      this.pending.push(e);
    }
  }

  /** Appends queued entries (one write). Called after each shard chain. */
  flush(): void {
    if (this.pending.length === 0) return;
    try {
      if (!this.dirReady) {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        this.dirReady = true;
      }
      appendJsonl(this.file, this.pending);
    } catch {
      // Acceleration only: an unrecorded entry costs a future re-execution, never a result.
    }
    this.pending = [];
  }
}
