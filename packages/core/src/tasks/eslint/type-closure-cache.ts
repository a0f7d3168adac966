import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../store/atomic-write';
import { sha256OfCanonical } from '../../util/hash';
import type { SnapshotView } from '../task-definition';
import type { TypeClosure } from './type-closure';
import { typeClosureScheme } from './type-closure/scheme';
import {
  type DiskObservations,
  diskObservationsHold,
  isDiskObservations,
  isRecordOf,
  isString,
} from './type-closure/snapshot-fs';

const closures = new Map<string, TypeClosure>();
/** By stored file, so that another store (another cache dir) is read for itself. */
const digestTables = new Map<string, Map<string, string>>();

/**
 * The type closure of a snapshot, built once per process on first need (only when some
 * file's config asks for type information): one linear pass over the tree's import graph.
 */
export function typeClosureFor(snapshot: SnapshotView): TypeClosure {
  const key = `${snapshot.digest}\0${snapshot.root}`;
  let closure = closures.get(key);
  // The disk may have changed since (a long-lived process, a rebuild between two runs of one).
  if (closure && !diskObservationsHold(closure.diskObservations())) closure = undefined;
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
  const file = path.join(
    cacheDir,
    'eslint',
    `closure-${sha256OfCanonical({ s: snapshot.digest, r: snapshot.root })}.json`,
  );
  let table = digestTables.get(file);
  if (table) return table;
  table = readStoredTable(file);
  if (!table) {
    const closure = typeClosureFor(snapshot);
    table = new Map();
    for (const f of snapshot.files()) {
      const d = closure.digestOf(f.path);
      if (d) table.set(f.path, d);
    }
    const stored: StoredTable = {
      scheme: storedScheme(),
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
  digestTables.set(file, table);
  return table;
}

/**
 * Tables written before disk observations were kept carry no scheme and are never reused; the
 * digests' own scheme is part of it, so a table never outlives the rule that computed it.
 */
const storedScheme = () => `closure-table/2 ${typeClosureScheme()}`;

interface StoredTable {
  scheme: string;
  digests: Record<string, string>;
  disk: DiskObservations;
}

function readStoredTable(file: string): Map<string, string> | undefined {
  let stored: unknown;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not computed for this snapshot yet
  }
  if (!isStoredTable(stored)) return undefined;
  return diskObservationsHold(stored.disk) ? new Map(Object.entries(stored.digests)) : undefined;
}

/** This scheme's table, whole: anything else (truncated, edited, older) is recomputed. */
function isStoredTable(value: unknown): value is StoredTable {
  if (typeof value !== 'object' || value === null) return false;
  const { scheme, digests, disk } = value as Partial<Record<keyof StoredTable, unknown>>;
  return scheme === storedScheme() && isRecordOf(digests, isString) && isDiskObservations(disk);
}
