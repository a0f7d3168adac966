import fs from 'node:fs';
import path from 'node:path';
import { readShardState } from '../batch/shard-state';
import { CodebatchError } from '../errors/codebatch-error';
import { digestRecords, stripEnvelope } from '../run/record-text';
import { parseJsonl } from '../store/jsonl';
import { readStoredOutputs } from '../store/shard-outputs';
import type { Store } from '../store/store';
import { sha256Hex } from '../util/hash';

export interface StatementCheck {
  subjects: number;
  mismatches: { name: string; reason: 'missing' | 'digest' | 'outside the store' }[];
}

/**
 * Checks every subject of an in-toto statement against the store: each names a file under the
 * store root whose sha256 must equal the attested digest.
 */
export function checkStatementSubjects(store: Store, statement: Record<string, unknown>): StatementCheck {
  const subjects = Array.isArray(statement.subject) ? (statement.subject as unknown[]) : [];
  const mismatches: StatementCheck['mismatches'] = [];
  for (const raw of subjects) {
    const s = raw as { name?: unknown; digest?: { sha256?: unknown }; annotations?: { index?: unknown } };
    const name = typeof s.name === 'string' ? s.name : '';
    // A shard result is attested by its records' digest, recomputed from the index it names.
    const index = typeof s.annotations?.index === 'string' ? s.annotations.index : undefined;
    const file = path.resolve(store.layout.root, index ?? name);
    if (!name || path.relative(store.layout.root, file).startsWith('..')) {
      mismatches.push({ name, reason: 'outside the store' });
      continue;
    }
    let bytes: Buffer | undefined;
    try {
      bytes = index === undefined ? fs.readFileSync(file) : readIndexRecords(store, index, file);
    } catch {
      bytes = undefined;
    }
    if (bytes === undefined) {
      mismatches.push({ name, reason: 'missing' });
      continue;
    }
    const digest = index === undefined ? sha256Hex(bytes) : resultDigestOfIndex(bytes);
    if (digest !== s.digest?.sha256) mismatches.push({ name, reason: 'digest' });
  }
  if (subjects.length === 0)
    throw new CodebatchError('E_SUBJECT_MISMATCH', 'the statement has no subjects to verify', {
      hints: [
        'Export a statement of a batch with done shards: `codebatch provenance export --format intoto`.',
      ],
    });
  return { subjects: subjects.length, mismatches };
}

const SHARD_INDEX = /^batches\/([^/]+)\/tasks\/([^/]+)\/shards\/([^/]+)\/outputs\.index\.jsonl$/;

/**
 * The stored records of the shard index a subject names: a reused shard's are the object its
 * state references (its own file is a stub). The envelope is stripped before hashing, so the
 * referenced bytes are used as they are.
 */
function readIndexRecords(store: Store, index: string, file: string): Buffer | undefined {
  const m = SHARD_INDEX.exec(index.split(path.sep).join('/'));
  if (!m) return fs.readFileSync(file);
  const location = { batch_id: m[1]!, task_id: m[2]!, shard_id: m[3]! };
  const state = readShardState(store, location.batch_id, location.task_id, location.shard_id);
  return readStoredOutputs(store, location, state)?.bytes;
}

/**
 * The result digest of a committed index, as the runner computed it when it wrote the index:
 * each record without its envelope, serialised, one per line. Undefined (no match) when the
 * index does not parse.
 */
function resultDigestOfIndex(bytes: Buffer): string | undefined {
  try {
    const records = parseJsonl<Record<string, unknown>>(bytes, 'index', 'strict').records;
    return digestRecords(records.map(stripEnvelope));
  } catch {
    return undefined;
  }
}
