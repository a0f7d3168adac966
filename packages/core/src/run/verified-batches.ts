import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-write';
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
const verdictSchema = z.object({
  key: z.string(),
  batch_id: z.string(),
  files: z.array(fingerprintSchema),
  results: z.array(shardResultSchema),
});
const verdictFileSchema = z.object({
  schema_name: z.literal(SCHEMA_NAME),
  version: z.literal(VERSION),
  verdicts: z.array(verdictSchema),
});
type Verdict = z.infer<typeof verdictSchema>;

/**
 * The skipped results the verification under `key` gave, when a verdict for it is kept and every
 * file it rests on stats as it did; else undefined.
 */
export function lookupVerifiedBatch(
  store: Store,
  key: string,
  batchId: string,
): ShardRunResult[] | undefined {
  const verdict = readVerdicts(store).find((v) => v.key === key && v.batch_id === batchId);
  if (!verdict) return undefined;
  for (const [rel, ino, dev, size, mtimeMs, ctimeMs] of verdict.files) {
    if (!isInsideStore(rel)) return undefined;
    const now = statOf(path.join(store.layout.root, rel));
    if (!now || !sameFingerprint(now, { ino, dev, size, mtimeMs, ctimeMs })) return undefined;
  }
  return verdict.results.map(([taskId, shardId, files, outputs, outputsDigest]) => ({
    taskId,
    shardId,
    outcome: 'skipped',
    files,
    outputs,
    filesExecuted: 0,
    filesReused: files,
    durationMs: 0,
    outputsDigest,
  }));
}

/**
 * Keeps the verdict of a verification that began at `markMs` and found every shard skipped.
 * `files` are every file it read (store paths). Nothing is kept when one of them changed within
 * RACY_WINDOW_MS of `markMs`, or after it.
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
): boolean {
  const root = store.layout.root;
  const files: Verdict['files'] = [];
  for (const file of verified.files) {
    const rel = path.relative(root, file);
    const fp = statOf(file);
    if (!isInsideStore(rel) || !fp || !changedBefore(fp, verified.markMs - RACY_WINDOW_MS)) return false;
    files.push([rel, fp.ino, fp.dev, fp.size, fp.mtimeMs, fp.ctimeMs]);
  }
  const results: Verdict['results'] = [];
  for (const r of verified.results) {
    if (r.outcome !== 'skipped' || !r.outputsDigest) return false;
    results.push([r.taskId, r.shardId, r.files, r.outputs, r.outputsDigest]);
  }
  const verdict: Verdict = { key: verified.key, batch_id: verified.batchId, files, results };
  const kept = readVerdicts(store).filter((v) => v.key !== verified.key);
  const text = `${JSON.stringify({
    schema_name: SCHEMA_NAME,
    version: VERSION,
    verdicts: [verdict, ...kept].slice(0, MAX_VERDICTS),
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
    const parsed = verdictFileSchema.safeParse(JSON.parse(text));
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

function isInsideStore(rel: string): boolean {
  return rel !== '' && !path.isAbsolute(rel) && !rel.split(/[\\/]/).includes('..');
}
