import fs from 'node:fs';
import path from 'node:path';
import { parseObjectRef, sha256Hex } from '../util/hash';
import { isChunkedFormat } from './chunking';
import { parseJsonl } from './jsonl';
import type { Store } from './store';

export interface VerifyProblem {
  kind: 'object_corrupt' | 'object_missing' | 'index_corrupt' | 'state_mismatch' | 'bad_reference';
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
 * outputs_digest against its index bytes. Read-only.
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
  const readIndex = (file: string): Record<string, unknown>[] | undefined => {
    indexes += 1;
    try {
      return parseJsonl<Record<string, unknown>>(fs.readFileSync(file, 'utf8'), rel(file)).records;
    } catch (error) {
      problems.push({ kind: 'index_corrupt', file: rel(file), message: (error as Error).message });
      return undefined;
    }
  };
  for (const snap of listDir(path.join(layout.root, 'snapshots'))) {
    const file = path.join(layout.root, 'snapshots', snap, 'files.index.jsonl');
    if (!fs.existsSync(file)) continue;
    for (const r of readIndex(file) ?? []) checkRef(r.object, rel(file), false);
  }
  for (const batch of listDir(path.join(layout.root, 'batches'))) {
    const tasksDir = path.join(layout.root, 'batches', batch, 'tasks');
    for (const task of listDir(tasksDir)) {
      const shardsDir = path.join(tasksDir, task, 'shards');
      for (const shard of listDir(shardsDir)) {
        const outputs = path.join(shardsDir, shard, 'outputs.index.jsonl');
        const stateFile = path.join(shardsDir, shard, 'state.json');
        if (fs.existsSync(outputs)) {
          for (const r of readIndex(outputs) ?? [])
            checkRef(r.object, rel(outputs), isChunkedFormat(r.format));
        }
        if (!fs.existsSync(stateFile)) continue;
        let state: { status?: string; outputs_digest?: string; manifest?: string };
        try {
          state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
        } catch {
          problems.push({
            kind: 'index_corrupt',
            file: rel(stateFile),
            message: 'state.json is not valid JSON',
          });
          continue;
        }
        if (state.manifest) checkRef(state.manifest, rel(stateFile), false);
        if (state.status === 'done' && state.outputs_digest) {
          const bytes = fs.existsSync(outputs) ? fs.readFileSync(outputs) : Buffer.alloc(0);
          if (`sha256:${sha256Hex(bytes)}` !== state.outputs_digest) {
            problems.push({
              kind: 'state_mismatch',
              file: rel(outputs),
              message: 'outputs index does not match the digest recorded in state.json',
            });
          }
        }
      }
    }
  }
  return {
    objects_checked: objectsChecked,
    references_checked: refs,
    indexes_checked: indexes,
    problems,
    ok: problems.length === 0,
  };
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}
