import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { safeParseFast } from '../schemas/compile-acceptor';
import { writeFileAtomic } from '../store/atomic-write';
import { isStoreRelativePath } from '../store/layout';
import type { Store } from '../store/store';
import {
  changedBefore,
  fingerprintOf,
  type StatFingerprint,
  sameFingerprint,
} from '../util/stat-fingerprint';
import { RACY_WINDOW_MS } from '../util/time';
import type { ShardRunResult } from './shard-outcome';

/**
 * Done batches this machine verified, in `<store>/indexes/verified-batches.json`: an unchanged
 * `check` finds the batch of its snapshot done and verifies it (every shard's input bundle
 * computed again, every index read and checked against its digest), which was 50-60 ms of a
 * 0.35 s run on the 8.8k-file corpus, most of it for the same answer as the run before.
 *
 * A verdict is kept under a key that names everything a shard's bundle is computed from besides
 * the store's own files (see verify-batch.ts), with the fingerprint of every file the check read:
 * the batch's records, and each shard's state and index. It answers again only while each of
 * those files stats as it did. The racy rule of the stat cache and the index digest cache holds:
 * a file whose mtime or ctime is within RACY_WINDOW_MS of the moment verification began is not
 * vouched for (it may have changed after it was read, within one clock tick), and then no verdict
 * is kept. No program can set a ctime, so a store restored from the Actions cache or copied
 * matches no verdict, and is verified in full.
 *
 * Acceleration only: deleting the file changes no result, and a damaged one is ignored.
 */
const FILE_NAME = 'verified-batches.json';
const SCHEMA_NAME = 'codebatch.verified_batches';
const VERSION = 1;
/** Verdicts kept, newest first: a few trees or pipelines checked in turn in one store. */
const MAX_VERDICTS = 8;

const fingerprintSchema = z.tuple([
  z.string(), // path relative to the store root
  z.number(), // ino
  z.number(), // dev
  z.number(), // size
  z.number(), // mtimeMs
  z.number(), // ctimeMs
]);
const shardResultSchema = z.tuple([
  z.string(), // task id
  z.string(), // shard id
  z.number().int().nonnegative(), // files
  z.number().int().nonnegative(), // outputs
  z.string().regex(/^sha256:[a-f0-9]{64}$/), // outputs digest
]);
const derivedSchema = z.tuple([
  z.string(), // name, chosen by the caller (api/analyze.ts: the report at one severity)
  z.string().regex(/^[a-f0-9]{64}$/), // the object holding it
]);
const verdictSchema = z.object({
  key: z.string(),
  batch_id: z.string(),
  files: z.array(fingerprintSchema),
  results: z.array(shardResultSchema),
  derived: z.array(derivedSchema).optional(),
});
const verdictFileSchema = z.object({
  schema_name: z.literal(SCHEMA_NAME),
  version: z.literal(VERSION),
  verdicts: z.array(verdictSchema),
});
type Verdict = z.infer<typeof verdictSchema>;
/** Names derived results kept with one verdict: a report at a few severities. */
const MAX_DERIVED = 4;

/**
 * A verdict kept in the file, as this process found or wrote it: what was derived from the files
 * it vouches for can be kept with it (recordVerifiedDerived) and taken back while it holds.
 */
export interface VerdictRef {
  key: string;
  batchId: string;
  /** The verdict's fingerprints as written: an entry rewritten since is another verdict. */
  files: string;
  /** Derived results by name: the object holding each. */
  derived: ReadonlyMap<string, string>;
}

/**
 * The skipped results the verification under `key` gave, when a verdict for it is kept and every
 * file it rests on stats as it did; else undefined.
 */
export function lookupVerifiedBatch(
  store: Store,
  key: string,
  batchId: string,
): { results: ShardRunResult[]; verdict: VerdictRef } | undefined {
  const verdict = readVerdicts(store).find((v) => v.key === key && v.batch_id === batchId);
  if (!verdict) return undefined;
  for (const [rel, ino, dev, size, mtimeMs, ctimeMs] of verdict.files) {
    if (!isStoreRelativePath(rel)) return undefined;
    const now = statOf(path.join(store.layout.root, rel));
    if (!now || !sameFingerprint(now, { ino, dev, size, mtimeMs, ctimeMs })) return undefined;
  }
  const results: ShardRunResult[] = verdict.results.map(
    ([taskId, shardId, files, outputs, outputsDigest]) => ({
      taskId,
      shardId,
      outcome: 'skipped',
      files,
      outputs,
      filesExecuted: 0,
      filesReused: files,
      durationMs: 0,
      outputsDigest,
    }),
  );
  return { results, verdict: refOf(verdict) };
}

/**
 * Keeps the verdict of a verification that began at `markMs` and found every shard skipped.
 * `files` are every file it read (store paths). Nothing is kept when one of them changed within
 * RACY_WINDOW_MS of `markMs`, or after it. Returns the verdict kept, if one was.
 */
export function recordVerifiedBatch(
  store: Store,
  verified: {
    key: string;
    batchId: string;
    markMs: number;
    files: readonly string[];
    results: readonly ShardRunResult[];
  },
): VerdictRef | undefined {
  const root = store.layout.root;
  const files: Verdict['files'] = [];
  for (const file of verified.files) {
    const rel = path.relative(root, file);
    const fp = statOf(file);
    if (!isStoreRelativePath(rel) || !fp || !changedBefore(fp, verified.markMs - RACY_WINDOW_MS))
      return undefined;
    files.push([rel, fp.ino, fp.dev, fp.size, fp.mtimeMs, fp.ctimeMs]);
  }
  const results: Verdict['results'] = [];
  for (const r of verified.results) {
    if (r.outcome !== 'skipped' || !r.outputsDigest) return undefined;
    results.push([r.taskId, r.shardId, r.files, r.outputs, r.outputsDigest]);
  }
  const verdict: Verdict = { key: verified.key, batch_id: verified.batchId, files, results };
  const kept = readVerdicts(store).filter((v) => v.key !== verified.key);
  return writeVerdicts(store, [verdict, ...kept]) ? refOf(verdict) : undefined;
}

/**
 * What was kept as `name` with a verdict this process took or wrote, when its object is still
 * there and holds the bytes the verdict names; else undefined. Derived only from files the verdict
 * vouches for, it holds exactly as long as the verdict does.
 */
export function readVerifiedDerived(store: Store, verdict: VerdictRef, name: string): Buffer | undefined {
  const hex = verdict.derived.get(name);
  if (hex === undefined) return undefined;
  try {
    return store.objects.readObjectVerified(hex);
  } catch {
    return undefined; // pruned by gc, or damaged: derived again
  }
}

/**
 * Keeps `bytes`, derived from what `verdict` vouches for, with it as `name`. Nothing is kept when
 * the verdict was rewritten or dropped since this process read or wrote it: the bytes were read
 * from the files of that verdict, and a newer one may rest on others.
 */
export function recordVerifiedDerived(
  store: Store,
  verdict: VerdictRef,
  name: string,
  bytes: Uint8Array,
): void {
  try {
    const verdicts = readVerdicts(store);
    const entry = verdicts.find(
      (v) =>
        v.key === verdict.key && v.batch_id === verdict.batchId && JSON.stringify(v.files) === verdict.files,
    );
    if (!entry) return;
    const hex = store.objects.writeObject(bytes);
    entry.derived = [
      [name, hex] as [string, string],
      ...(entry.derived ?? []).filter(([n]) => n !== name),
    ].slice(0, MAX_DERIVED);
    writeVerdicts(store, verdicts);
  } catch {
    // As the verdict itself: an acceleration, never a failed check.
  }
}

function refOf(verdict: Verdict): VerdictRef {
  return {
    key: verdict.key,
    batchId: verdict.batch_id,
    files: JSON.stringify(verdict.files),
    derived: new Map(verdict.derived ?? []),
  };
}

function writeVerdicts(store: Store, verdicts: readonly Verdict[]): boolean {
  const text = `${JSON.stringify({
    schema_name: SCHEMA_NAME,
    version: VERSION,
    verdicts: verdicts.slice(0, MAX_VERDICTS),
  })}\n`;
  try {
    fs.mkdirSync(store.layout.indexesDir, { recursive: true });
    writeFileAtomic(path.join(store.layout.indexesDir, FILE_NAME), text);
    return true;
  } catch {
    // An acceleration index: failing to write it must not fail a finished check.
    return false;
  }
}

function readVerdicts(store: Store): Verdict[] {
  try {
    const text = fs.readFileSync(path.join(store.layout.indexesDir, FILE_NAME), 'utf8');
    const parsed = safeParseFast(verdictFileSchema, JSON.parse(text));
    return parsed.success ? parsed.data.verdicts : [];
  } catch {
    return [];
  }
}

function statOf(file: string): StatFingerprint | undefined {
  try {
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    return st?.isFile() ? fingerprintOf(st) : undefined;
  } catch {
    return undefined;
  }
}
