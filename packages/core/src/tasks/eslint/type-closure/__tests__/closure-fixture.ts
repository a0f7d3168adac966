import { sha256Hex } from '../../../../util/hash';
import { buildTypeClosure, type ClosureSourceFile, type TypeClosure } from '../index';

/**
 * A root that exists nowhere: in-memory trees then see no node_modules and no installed
 * compiler, so their digests depend on nothing but the tree.
 */
export const VIRTUAL_ROOT = '/nonexistent/type-closure-root';

export function sourceFiles(tree: Record<string, string>): ClosureSourceFile[] {
  return Object.entries(tree).map(([path, content]) => ({
    path,
    object: sha256Hex(content),
    text: () => content,
  }));
}

export function closureOf(tree: Record<string, string>, rootDir = VIRTUAL_ROOT): TypeClosure {
  return buildTypeClosure({ rootDir, files: sourceFiles(tree) });
}

/** Digest of every TS/JS path of the tree. */
export function digestsOf(tree: Record<string, string>, rootDir = VIRTUAL_ROOT): Record<string, string> {
  const closure = closureOf(tree, rootDir);
  const out: Record<string, string> = {};
  for (const path of Object.keys(tree).sort()) {
    const digest = closure.digestOf(path);
    if (digest !== undefined) out[path] = digest;
  }
  return out;
}

/** Paths whose digest differs between two trees (present in both). */
export function changedPaths(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before)
    .filter((p) => p in after && before[p] !== after[p])
    .sort();
}
