import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../store/atomic-write';
import { sha256OfCanonical } from '../../util/hash';
import type { SnapshotView } from '../task-definition';
import type { TypeClosure } from './type-closure';

const closures = new Map<string, TypeClosure>();
const digestTables = new Map<string, Map<string, string>>();

/**
 * The type closure of a snapshot, built once per process on first need (only when some
 * file's config asks for type information): one linear pass over the tree's import graph.
 */
export function typeClosureFor(snapshot: SnapshotView): TypeClosure {
  let closure = closures.get(snapshot.digest);
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
    closures.set(snapshot.digest, closure);
  }
  return closure;
}

/**
 * path -> closure digest for every TS/JS file of the snapshot. Kept in the store per snapshot
 * (deletable: it is rebuilt from the snapshot, with node_modules read from disk as the closure
 * reads them), so that a run over an unchanged tree keys its shards without loading TypeScript.
 * The file records the root it was computed under: the same snapshot seen from another
 * checkout resolves its packages elsewhere and is computed afresh.
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
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { digests?: Record<string, string> };
    if (stored.digests && typeof stored.digests === 'object') table = new Map(Object.entries(stored.digests));
  } catch {
    // not computed for this snapshot yet
  }
  if (!table) {
    const closure = typeClosureFor(snapshot);
    table = new Map();
    for (const f of snapshot.files()) {
      const d = closure.digestOf(f.path);
      if (d) table.set(f.path, d);
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, JSON.stringify({ digests: Object.fromEntries(table) }));
    } catch {
      // Acceleration only.
    }
  }
  digestTables.clear();
  digestTables.set(key, table);
  return table;
}
