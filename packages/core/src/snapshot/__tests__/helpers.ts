import fs from 'node:fs';
import path from 'node:path';
import { initStore, type Store } from '../../store/store';

/** A fresh store beside the source tree (never inside it). */
export function newStore(tmpDir: string, name = 'store'): Store {
  return initStore(path.join(tmpDir, name)).store;
}

/** Every file under `dir`, relative, sorted: to prove nothing was written elsewhere. */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((p) => p.split(path.sep).join('/'))
    .sort();
}

/** Shifts the stat cache's clock so files written a moment ago already count as old. */
export const LATER = () => Date.now() + 60_000;

export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
