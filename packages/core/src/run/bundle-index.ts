import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-write';
import type { Store } from '../store/store';

export interface BundleLocation {
  batch_id: string;
  task_id: string;
  shard_id: string;
}

/**
 * bundle hash -> a done shard that produced it. Acceleration only (SPEC invariant 6): every
 * entry is re-checked against the shard's state.json before use, and deleting indexes/ just
 * means the next run executes instead of reusing.
 */
function entryPath(store: Store, bundleHash: string): string {
  return path.join(store.layout.indexesDir, 'bundles', bundleHash.slice(0, 2), `${bundleHash}.json`);
}

export function lookupBundle(store: Store, bundleHash: string): BundleLocation | undefined {
  try {
    return JSON.parse(fs.readFileSync(entryPath(store, bundleHash), 'utf8')) as BundleLocation;
  } catch {
    return undefined;
  }
}

export function recordBundle(store: Store, bundleHash: string, location: BundleLocation): void {
  const file = entryPath(store, bundleHash);
  try {
    writeFileAtomic(file, JSON.stringify(location));
  } catch {
    // Acceleration only: failing to record costs a future re-execution, never a result.
  }
}
