import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { checkQueryIndex } from '../query/accel/check-query-index';
import { queryIndexDir } from '../query/accel/query-index-file';
import {
  countKinds,
  countRecords,
  sameCounts,
  sortCounts,
  storedCounts,
  storedKindCounts,
} from '../query/diagnostic-counts';
import { batchRecordSchema, planRecordSchema, taskRecordSchema } from '../schemas/batch-record';
import { snapshotRecordSchema } from '../schemas/snapshot-record';
import { type DiagnosticCounts, type ShardState, shardStateSchema } from '../schemas/state-record';
import { isChunkedFormat } from '../store/chunking';
import { parseJsonl } from '../store/jsonl';
import { isMemoLine } from '../store/memo-line';
import { outputsRefOf, restampStoredOutputs } from '../store/shard-outputs';
import type { Store } from '../store/store';
import { parseObjectRef, sha256Hex } from '../util/hash';

export interface VerifyProblem {
  kind:
    | 'object_corrupt'
    | 'object_missing'
    | 'index_corrupt'
    /** A query acceleration index built from other shard contents than the current ones. */
    | 'index_stale'
    | 'state_mismatch'
    | 'bad_reference'
    | 'record_invalid';
  /** Store-relative file that holds the problem (or the object path). */
  file: string;
  object?: string;
  message: string;
}

export interface VerifyReport {
  objects_checked: number;
  references_checked: number;
  indexes_checked: number;
  problems: VerifyProblem[];
  ok: boolean;
}

/**
 * Re-hashes every object and checks every reference from every index: files indexes,
 * shard output indexes (and the chunks behind chunk manifests), and each done shard's
 * outputs_digest against its index bytes; checks snapshot.json, batch.json, plan.json,
 * task.json and state.json against their schemas (and a done state's diagnostic_counts against
 * its index's records), every memo table line, and that each state's
 * manifest pointer names a JSON object, and that every query acceleration index parses and
 * was built from the shards' current digests. Read-only.
 */
export function verifyStore(store: Store): VerifyReport {
  const { layout, objects } = store;
  const problems: VerifyProblem[] = [];
  const rel = (p: string) => path.relative(layout.root, p);
  const status = new Map<string, 'ok' | 'missing' | 'corrupt'>();
  let objectsChecked = 0;
  for (const hex of objects.listObjects()) {
    const s = objects.verifyObject(hex);
    objectsChecked += 1;
    status.set(hex, s);
    if (s === 'corrupt') {
      problems.push({
        kind: 'object_corrupt',
        file: rel(objects.objectPath(hex)),
        object: `sha256:${hex}`,
        message: 'content does not match its hash',
      });
    }
  }
  let refs = 0;
  let indexes = 0;
  const readRefBytes = (ref: string): { bytes: Buffer; file: string } | undefined => {
    const hex = parseObjectRef(ref);
    if (!hex) return undefined;
    const file = objects.objectPath(hex);
    try {
      return { bytes: fs.readFileSync(file), file };
    } catch {
      return undefined;
    }
  };
  const checkRef = (ref: unknown, file: string, chunked: boolean) => {
    if (typeof ref !== 'string') return;
    refs += 1;
    const hex = parseObjectRef(ref);
    if (!hex) {
      problems.push({
        kind: 'bad_reference',
        file,
        message: `malformed object reference ${JSON.stringify(ref)}`,
      });
      return;
    }
    const s = status.get(hex) ?? 'missing';
    if (s === 'missing')
      problems.push({ kind: 'object_missing', file, object: ref, message: 'referenced object is missing' });
    if (s !== 'ok' || !chunked) return;
    try {
      const manifest = JSON.parse(objects.readObject(hex).toString('utf8')) as {
        chunks?: { object?: unknown }[];
      };
      for (const c of manifest.chunks ?? []) checkRef(c.object, file, false);
    } catch {
      problems.push({
        kind: 'bad_reference',
        file,
        object: ref,
        message: 'chunk manifest is not valid JSON',
      });
    }
  };
  const parseIndex = (file: string, bytes: Buffer): Record<string, unknown>[] | undefined => {
    indexes += 1;
    try {
      return parseJsonl<Record<string, unknown>>(bytes, rel(file)).records;
    } catch (error) {
      problems.push({ kind: 'index_corrupt', file: rel(file), message: (error as Error).message });
      return undefined;
    }
  };
  const checkRecord = (
    file: string,
    schema: z.ZodType,
    optional = false,
  ): Record<string, unknown> | undefined => {
    let value: unknown;
    try {
      value = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      problems.push({ kind: 'record_invalid', file: rel(file), message: 'missing or not valid JSON' });
      return undefined;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data as Record<string, unknown>;
    problems.push({
      kind: 'record_invalid',
      file: rel(file),
      message: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    });
    return undefined;
  };
  for (const snap of listDir(path.join(layout.root, 'snapshots'))) {
    checkRecord(path.join(layout.root, 'snapshots', snap, 'snapshot.json'), snapshotRecordSchema, true);
    const file = path.join(layout.root, 'snapshots', snap, 'files.index.jsonl');
    if (!fs.existsSync(file)) continue;
    for (const r of parseIndex(file, fs.readFileSync(file)) ?? []) checkRef(r.object, rel(file), false);
  }
  for (const batch of listDir(path.join(layout.root, 'batches'))) {
    const batchDir = path.join(layout.root, 'batches', batch);
    // A directory without batch.json is an unfinished init (gc removes it), not damage.
    if (!fs.existsSync(path.join(batchDir, 'batch.json'))) continue;
    checkRecord(path.join(batchDir, 'batch.json'), batchRecordSchema);
    checkRecord(path.join(batchDir, 'plan.json'), planRecordSchema);
    const tasksDir = path.join(batchDir, 'tasks');
    for (const task of listDir(tasksDir)) {
      checkRecord(path.join(tasksDir, task, 'task.json'), taskRecordSchema);
      const shardsDir = path.join(tasksDir, task, 'shards');
      for (const shard of listDir(shardsDir)) {
        const outputs = path.join(shardsDir, shard, 'outputs.index.jsonl');
        const stateFile = path.join(shardsDir, shard, 'state.json');
        const state = fs.existsSync(stateFile)
          ? (checkRecord(stateFile, shardStateSchema) as ShardState | undefined)
          : undefined;
        // A reused shard's records are the object its outputs_ref names (its own index file is a
        // stub), read re-stamped with its ids; any other done shard's are its index. A done
        // shard without an index committed no outputs: none to count. Read once, for its
        // references, its digest and its counts.
        const ref = outputsRefOf(state);
        const referenced = ref ? readRefBytes(ref.object) : undefined;
        const indexFile = ref ? (referenced?.file ?? outputs) : outputs;
        const exists = ref ? referenced !== undefined : fs.existsSync(outputs);
        let bytes = referenced?.bytes ?? (exists ? fs.readFileSync(outputs) : Buffer.alloc(0));
        // A referenced object was re-hashed with every object above: its status is its digest.
        const refHex = ref ? parseObjectRef(ref.object) : undefined;
        const digest =
          refHex !== undefined && status.get(refHex) === 'ok' ? ref!.object : `sha256:${sha256Hex(bytes)}`;
        if (ref && state) {
          checkRef(ref.object, rel(stateFile), false);
          try {
            bytes = restampStoredOutputs({ bytes, file: indexFile }, state);
          } catch (error) {
            problems.push({ kind: 'index_corrupt', file: rel(indexFile), message: (error as Error).message });
          }
        }
        let records: Record<string, unknown>[] | undefined = [];
        if (exists) {
          records = parseIndex(indexFile, bytes);
          for (const r of records ?? []) checkRef(r.object, rel(indexFile), isChunkedFormat(r.format));
        }
        if (!state) continue;
        if (state.manifest) {
          checkRef(state.manifest, rel(stateFile), false);
          const hex = parseObjectRef(state.manifest);
          const manifest =
            hex && status.get(hex) === 'ok' ? parseJsonObject(objects.readObject(hex)) : undefined;
          if (hex && status.get(hex) === 'ok' && !manifest) {
            problems.push({
              kind: 'bad_reference',
              file: rel(stateFile),
              object: state.manifest,
              message: 'the manifest pointer names an object that is not a JSON manifest',
            });
          }
          // A shard run manifest names its bundle's file list as an object (run/shard-manifest.ts).
          const members = (manifest?.input_bundle as { members_object?: unknown } | undefined)
            ?.members_object;
          if (members !== undefined) checkRef(members, `${rel(stateFile)} (its manifest)`, false);
        }
        if (state.status === 'done' && state.outputs_digest) {
          if (digest !== state.outputs_digest) {
            problems.push({
              kind: 'state_mismatch',
              file: rel(indexFile),
              message: ref
                ? 'the object outputs_ref names does not match the digest recorded in state.json'
                : 'outputs index does not match the digest recorded in state.json',
            });
          } else {
            // Reports skip the index of a shard whose counts show nothing that fails the run,
            // so a count the index does not bear out could turn a failing run into a pass.
            const stored = storedCounts(state);
            const counted = stored && records ? countRecords(records) : undefined;
            if (stored && counted && !sameCounts(counted, stored)) {
              problems.push({
                kind: 'state_mismatch',
                file: rel(stateFile),
                message: `diagnostic_counts ${formatCounts(stored)} do not match the outputs index (${formatCounts(counted)})`,
              });
            }
            // Run manifests of shards that reuse this one take their counts per kind from here.
            const kinds = storedKindCounts(state);
            const kindsCounted = kinds && records ? countKinds(records) : undefined;
            if (kinds && kindsCounted && JSON.stringify(sortCounts(kinds)) !== JSON.stringify(kindsCounted)) {
              problems.push({
                kind: 'state_mismatch',
                file: rel(stateFile),
                message: `kind_counts ${JSON.stringify(kinds)} do not match the outputs index (${JSON.stringify(kindsCounted)})`,
              });
            }
          }
        }
      }
    }
  }
  for (const file of listDir(path.join(layout.indexesDir, 'memo'))) {
    const full = path.join(layout.indexesDir, 'memo', file);
    const lines = fs.readFileSync(full, 'utf8').split('\n');
    const bad = lines.filter(
      (line, i) => line !== '' && !isMemoTableLine(line, i === lines.length - 1),
    ).length;
    if (bad > 0)
      problems.push({
        kind: 'index_corrupt',
        file: rel(full),
        message: `${bad} memo line(s) are not entries (skipped by every run; delete the file to drop them)`,
      });
  }
  const queryDir = queryIndexDir(store);
  for (const name of listDir(queryDir)) {
    if (!name.endsWith('.jsonl')) continue;
    const full = path.join(queryDir, name);
    const batchId = name.slice(0, -'.jsonl'.length);
    indexes += 1;
    const check = checkQueryIndex(store, batchId, full);
    if (check.status === 'fresh') continue;
    // Acceleration only: queries already ignore such a file and scan, so this is never data
    // loss; it is reported because a stale or damaged index is wasted space and a sign of a
    // store edited or restored from elsewhere.
    problems.push({
      kind: check.status === 'damaged' ? 'index_corrupt' : 'index_stale',
      file: rel(full),
      message: `query acceleration index is ${check.status} (${check.reason}); queries ignore it and scan instead: delete it or rebuild it with \`codebatch index build --batch ${batchId}\``,
    });
  }
  return {
    objects_checked: objectsChecked,
    references_checked: refs,
    indexes_checked: indexes,
    problems,
    // A stale query index is acceleration left behind by a re-run: queries ignore it and scan,
    // so it is reported but does not make the store unhealthy.
    ok: problems.every((p) => p.kind === 'index_stale'),
  };
}

function formatCounts(c: DiagnosticCounts): string {
  return `error ${c.error}, warning ${c.warning}, info ${c.info}, hint ${c.hint}, none ${c.none}`;
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(bytes.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A torn last line (an appender killed mid-write) is not damage; anything else must be an entry. */
function isMemoTableLine(line: string, last: boolean): boolean {
  try {
    return isMemoLine(JSON.parse(line));
  } catch {
    return last;
  }
}
