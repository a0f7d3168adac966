import type { SnapshotView } from '../task-definition';
import type { TypeClosure } from './type-closure';

const closures = new Map<string, TypeClosure>();

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
