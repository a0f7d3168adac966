import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError, isCodebatchError } from '../errors/codebatch-error';
import type { Store } from '../store/store';
import { sha256Hex } from '../util/hash';
import { verifiesReads } from '../util/read-verification';

/**
 * The content of a snapshot file, as a task is about to analyse it, checked against its
 * digest: a restored store can hold a truncated or edited object, and a result computed from
 * it would be memoised under the original's key. A missing or corrupt object is re-ingested
 * from the source tree when the file there still has the snapshot's content (the store is
 * repaired on the way); otherwise E_OBJECT_CORRUPT fails the shard, so nothing derived from the
 * bad bytes is committed or memoised.
 */
export function readSourceObject(store: Store, hex: string, source: { root: string; path: string }): Buffer {
  try {
    return verifiesReads() ? store.objects.readObjectVerified(hex) : store.objects.readObject(hex);
  } catch (error) {
    if (
      !isCodebatchError(error) ||
      (error.code !== 'E_OBJECT_CORRUPT' && error.code !== 'E_OBJECT_NOT_FOUND')
    )
      throw error;
    const fromTree = readIfMatches(path.join(source.root, source.path), hex);
    if (fromTree) {
      store.objects.repairObject(hex, fromTree);
      return fromTree;
    }
    throw new CodebatchError(
      'E_OBJECT_CORRUPT',
      `the stored content of ${source.path} (sha256:${hex}) is ${error.code === 'E_OBJECT_NOT_FOUND' ? 'missing' : 'corrupt'}, and the file in the tree no longer matches it`,
      {
        hints: [
          'Snapshot the tree again (`codebatch check`, or `codebatch snapshot` and a new batch): that stores the content anew.',
        ],
        details: { path: source.path, object: `sha256:${hex}` },
      },
    );
  }
}

function readIfMatches(file: string, hex: string): Buffer | undefined {
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile()) return undefined;
    const bytes = fs.readFileSync(file);
    return sha256Hex(bytes) === hex ? bytes : undefined;
  } catch {
    return undefined;
  }
}
