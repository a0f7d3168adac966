import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';
import { safeParseFast } from '../schemas/compile-acceptor';
import { type StoreRecord, storeRecordSchema } from '../schemas/store-record';
import { stableJsonPretty } from '../util/canonical-json';
import { nowIso } from '../util/time';
import { PRODUCER, SCHEMA_VERSION } from '../version';
import { writeFileAtomic } from './atomic-write';
import {
  BATCHES_DIR,
  createLayout,
  INDEXES_DIR,
  OBJECTS_DIR,
  SNAPSHOTS_DIR,
  type StoreLayout,
  TMP_DIR,
} from './layout';
import { ObjectStore } from './object-store';

export interface Store {
  layout: StoreLayout;
  objects: ObjectStore;
  record: StoreRecord;
}

/**
 * Creates a store (idempotent on an existing store: returns it unchanged). Refuses a non-empty
 * directory that is not a store, so `init` never scatters files into someone's source tree.
 */
export function initStore(dir: string): { store: Store; created: boolean } {
  const layout = createLayout(dir);
  if (fs.existsSync(layout.storeFile)) return { store: openStore(dir), created: false };
  if (fs.existsSync(layout.root)) {
    const stat = fs.statSync(layout.root);
    if (!stat.isDirectory()) {
      throw new CodebatchError('E_STORE_INVALID', `${layout.root} exists and is not a directory`, {
        hints: ['Choose another --store path.'],
      });
    }
    const entries = fs.readdirSync(layout.root).filter((e) => !e.startsWith('.'));
    if (entries.length > 0) {
      throw new CodebatchError(
        'E_STORE_INVALID',
        `${layout.root} is a non-empty directory without store.json`,
        {
          hints: ['Point --store at an empty or new directory (for example .codebatch).'],
          details: { entries: entries.slice(0, 10) },
        },
      );
    }
  }
  try {
    for (const sub of [OBJECTS_DIR, SNAPSHOTS_DIR, BATCHES_DIR, INDEXES_DIR, TMP_DIR]) {
      fs.mkdirSync(path.join(layout.root, sub), { recursive: true });
    }
    const record: StoreRecord = {
      schema_name: 'codebatch.store',
      schema_version: SCHEMA_VERSION,
      producer: { ...PRODUCER },
      created_at: nowIso(),
    };
    // store.json last: its presence marks a complete store, so a crash mid-init is retryable.
    writeFileAtomic(layout.storeFile, stableJsonPretty(record));
  } catch (error) {
    throw toCodebatchError(error, `initialising store at ${layout.root}`);
  }
  return { store: openStore(dir), created: true };
}

/** Opens an existing store. Never creates anything: read-only commands call only this. */
export function openStore(dir: string, options: { durable?: boolean } = {}): Store {
  const layout = createLayout(dir);
  let text: string;
  try {
    text = fs.readFileSync(layout.storeFile, 'utf8');
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      throw new CodebatchError('E_STORE_NOT_FOUND', `no codebatch store at ${layout.root}`, {
        hints: [`Create one with \`codebatch init ${dir}\`, or pass --store <dir>.`],
        details: { store: layout.root },
      });
    }
    throw toCodebatchError(error, `reading ${layout.storeFile}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CodebatchError('E_STORE_INVALID', `${layout.storeFile} is not valid JSON`, {
      hints: ['The store metadata is damaged; restore it or re-create the store.'],
    });
  }
  const result = safeParseFast(storeRecordSchema, parsed);
  if (!result.success) {
    throw new CodebatchError('E_STORE_INVALID', `${layout.storeFile} is not a codebatch store record`, {
      details: { issues: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) },
    });
  }
  if (result.data.schema_version > SCHEMA_VERSION) {
    throw new CodebatchError(
      'E_STORE_INVALID',
      `store schema_version ${result.data.schema_version} is newer than this codebatch supports (${SCHEMA_VERSION})`,
      { hints: ['Upgrade @codebatch/core.'] },
    );
  }
  return { layout, objects: new ObjectStore(layout, options), record: result.data };
}
