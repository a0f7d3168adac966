import fs from 'node:fs';
import path from 'node:path';
import { runBatch } from '../../run/run-batch';
import { readShardState } from '../../run/shard-state';
import type { Store } from '../../store/store';
import {
  exportObservations,
  formatObservationsCsv,
  formatObservationsJsonl,
  OBSERVATION_COLUMNS,
} from '../events-export';
import { exportProvenance } from '../export-provenance';
import { deriveShardManifest, writeShardManifest } from '../run-manifest';
import { runBatchWithProvenance } from '../run-with-provenance';
import { registry, setupStore } from './provenance-fixture';

/**
 * Goldens of the two provenance exports over a real run at a fixed time. To accept a change
 * on purpose: UPDATE_GOLDEN=1 npx jest packages/core/src/provenance
 */
const GOLDEN_DIR = path.join(__dirname, 'golden');
const FIXED = '2024-05-01T12:00:00.000Z';

function checkGolden(name: string, value: unknown): void {
  const file = path.join(GOLDEN_DIR, name);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, text);
  }
  // Compared as JSON, so formatting the golden files (biome) does not break the test.
  expect(JSON.parse(text)).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/**
 * Manifests hash the preimage, which holds the Node major (and so do bundle hashes): give
 * them stable names so the goldens hold on every supported Node.
 */
function normalize(store: Store, batchId: string, value: unknown): unknown {
  let text = JSON.stringify(value);
  for (const t of ['01_parse', '02_analyze', '03_symbols', '04_lint']) {
    for (const s of fs.readdirSync(store.layout.shardsDir(batchId, t)).sort()) {
      const state = readShardState(store, batchId, t, s);
      if (state.manifest) text = text.replaceAll(state.manifest.slice(7), `<manifest ${t}/${s}>`);
      if (state.bundle_hash) text = text.replaceAll(state.bundle_hash, `<bundle ${t}/${s}>`);
    }
  }
  return JSON.parse(text);
}

/** What the runner will do once wired: record each shard's manifest in state.json. */
function attachManifests(store: Store, batchId: string): void {
  for (const t of ['01_parse', '02_analyze', '03_symbols', '04_lint']) {
    for (const s of fs.readdirSync(store.layout.shardsDir(batchId, t)).sort()) {
      const ref = writeShardManifest(store, {
        ...deriveShardManifest(store, batchId, t, s),
        derived: undefined,
      });
      const file = store.layout.stateFile(batchId, t, s);
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), manifest: ref }));
    }
  }
}

describe('provenance exports (golden)', () => {
  const saved = process.env.CODEBATCH_FIXED_TIME;
  let ctx: Awaited<ReturnType<typeof setupStore>>;
  beforeAll(async () => {
    process.env.CODEBATCH_FIXED_TIME = FIXED;
    ctx = await setupStore();
    await runBatch(ctx.store, { batchId: ctx.newBatch('golden'), registry });
    attachManifests(ctx.store, 'golden');
  });
  afterAll(() => {
    ctx.tmp.cleanup();
    if (saved === undefined) delete process.env.CODEBATCH_FIXED_TIME;
    else process.env.CODEBATCH_FIXED_TIME = saved;
  });

  it('PROV-O JSON-LD', () => {
    const doc = exportProvenance(ctx.store, 'golden', 'prov') as { '@graph': { '@type': unknown }[] };
    expect(doc['@graph'].some((n) => JSON.stringify(n['@type']).includes('prov:SoftwareAgent'))).toBe(true);
    checkGolden('prov.jsonld', normalize(ctx.store, 'golden', doc));
  });

  it('in-toto Statement v1 with a SLSA v1 predicate', () => {
    const doc = exportProvenance(ctx.store, 'golden', 'intoto') as {
      _type: string;
      subject: { digest: { sha256: string } }[];
      predicateType: string;
    };
    expect(doc._type).toBe('https://in-toto.io/Statement/v1');
    expect(doc.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(doc.subject.every((s) => /^[a-f0-9]{64}$/.test(s.digest.sha256))).toBe(true);
    checkGolden('intoto.json', normalize(ctx.store, 'golden', doc));
  });

  it('never leaks the absolute source path or the host name', () => {
    for (const format of ['prov', 'intoto'] as const) {
      const text = JSON.stringify(exportProvenance(ctx.store, 'golden', format));
      expect(text).not.toContain(ctx.tmp.dir);
      expect(text).not.toContain(require('node:os').hostname());
    }
  });
});

describe('events export', () => {
  let ctx: Awaited<ReturnType<typeof setupStore>>;
  afterEach(() => ctx?.tmp.cleanup());

  it('flattens batch, task and shard events and session actions into observation rows', async () => {
    ctx = await setupStore();
    const batchId = ctx.newBatch('b1');
    const summary = await runBatchWithProvenance(ctx.store, { batchId, registry });
    const rows = exportObservations(ctx.store, batchId);
    const types = new Set(rows.map((r) => r.event_type));
    expect([...types]).toEqual(
      expect.arrayContaining([
        'batch_started',
        'batch_completed',
        'task_completed',
        'shard_started',
        'shard_completed',
        'action.execute_shard',
      ]),
    );
    expect(rows.find((r) => r.event_type === 'batch_started')).toMatchObject({
      level: 'batch',
      batch_id: batchId,
      task_id: null,
      session_id: summary.sessionId,
    });
    const shardRow = rows.find((r) => r.event_type === 'shard_completed')!;
    expect(shardRow.level).toBe('shard');
    expect(JSON.parse(shardRow.meta_json)).toHaveProperty('stats');
    const actions = rows.filter((r) => r.event_type.startsWith('action.'));
    expect(actions).toHaveLength(summary.results.length);
    expect(actions[0]!.record_id).toBe(`${summary.sessionId}-1`);
    expect(new Set(rows.map((r) => r.record_id)).size).toBe(rows.length);
    expect(rows.map((r) => r.timestamp)).toEqual([...rows.map((r) => r.timestamp)].sort());
    // stable: the same store gives the same rows
    expect(exportObservations(ctx.store, batchId)).toEqual(rows);

    const jsonl = formatObservationsJsonl(rows).trimEnd().split('\n');
    expect(jsonl).toHaveLength(rows.length);
    expect(Object.keys(JSON.parse(jsonl[0]!))).toEqual(OBSERVATION_COLUMNS);
    const csv = formatObservationsCsv(rows).split('\r\n');
    expect(csv[0]).toBe(OBSERVATION_COLUMNS.join(','));
    expect(csv).toHaveLength(rows.length + 2);
    expect(csv[1]).toMatch(/"\{""/); // meta_json quoted, quotes doubled
    expect(
      exportObservations(ctx.store, batchId, { sessions: false }).some((r) =>
        r.event_type.startsWith('action.'),
      ),
    ).toBe(false);
  });
});
