import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../store/atomic-write';
import { sha256OfCanonical } from '../../util/hash';
import type { SnapshotView } from '../task-definition';
import type { TypeClosure } from './type-closure';
import { type DiskObservations, diskObservationsHold } from './type-closure/snapshot-fs';

const closures = new Map<string, TypeClosure>();
const digestTables = new Map<string, Map<string, string>>();

/**
 * The type closure of a snapshot, built once per process on first need (only when some
 * file's config asks for type information): one linear pass over the tree's import graph.
 */
export function typeClosureFor(snapshot: SnapshotView): TypeClosure {
  const key = `${snapshot.digest}\0${snapshot.root}`;
  let closure = closures.get(key);
  if (!closure) {
    const { buildTypeClosure } = require('./type-closure') as typeof import('./type-closure');
    closure = buildTypeClosure({
      rootDir: snapshot.root,
      files: snapshot.files().map((f) => {
        const object = f.object.replace(/^sha256:/, '');
        return { path: f.path, object, text: () => snapshot.read(object).toString('utf8') };
      }),
    });
    closures.clear();
    closures.set(key, closure);
  }
  return closure;
}

/**
 * path -> closure digest for every TS/JS file of the snapshot. Kept in the store per snapshot
 * and root (deletable: it is rebuilt from the snapshot), so that a run over an unchanged tree
 * keys its shards without loading TypeScript. The digests also cover what the build saw on
 * disk (node_modules' install records, a tsconfig `extends` outside the root, a sibling
 * package's sources or build output), which no snapshot digest names: the file keeps those
 * observations, and a table is reused only while the disk still answers the same.
 */
export function closureDigestsFor(snapshot: SnapshotView, cacheDir: string): Map<string, string> {
  const key = `${snapshot.digest}\0${snapshot.root}`;
  let table = digestTables.get(key);
  if (table) return table;
  const file = path.join(
    cacheDir,
    'eslint',
    `closure-${sha256OfCanonical({ s: snapshot.digest, r: snapshot.root })}.json`,
  );
  table = readStoredTable(file);
  if (!table) {
    const closure = typeClosureFor(snapshot);
    table = new Map();
    for (const f of snapshot.files()) {
      const d = closure.digestOf(f.path);
      if (d) table.set(f.path, d);
    }
    const stored: StoredTable = {
      scheme: STORED_SCHEME,
      digests: Object.fromEntries(table),
      disk: closure.diskObservations(),
    };
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, JSON.stringify(stored));
    } catch {
      // Acceleration only.
    }
  }
  digestTables.clear();
  digestTables.set(key, table);
  return table;
}

/** Tables written before disk observations were kept carry no scheme and are never reused. */
const STORED_SCHEME = 'closure-table/2';

interface StoredTable {
  scheme: string;
  digests: Record<string, string>;
  disk: DiskObservations;
}

function readStoredTable(file: string): Map<string, string> | undefined {
  let stored: Partial<StoredTable>;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StoredTable>;
  } catch {
    return undefined; // not computed for this snapshot yet
  }
  if (stored.scheme !== STORED_SCHEME || typeof stored.digests !== 'object' || !stored.disk) return undefined;
  return diskObservationsHold(stored.disk) ? new Map(Object.entries(stored.digests)) : undefined;
}
