import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { readShardState } from '../../batch/shard-state';
import { runBatch } from '../../run/run-batch';
import { writeShardManifest } from '../../run/shard-manifest';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore, type Store } from '../../store/store';
import { createDefaultRegistry } from '../../tasks/default-registry';
import { readToolchain } from '../../tasks/shared/toolchain';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import {
  exportObservations,
  formatObservationsCsv,
  formatObservationsJsonl,
  OBSERVATION_COLUMNS,
} from '../events-export';
import { exportProvenance } from '../export-provenance';
import { deriveShardManifest } from '../run-manifest';
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

type JsonLdNode = Record<string, unknown> & { '@id': string };
const idsOf = (v: unknown): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => (x as { '@id': string })['@id']);
const timeOf = (v: unknown): string | undefined => (v as { '@value'?: string } | undefined)?.['@value'];

describe('PROV export after a partial forced re-run', () => {
  const saved = process.env.CODEBATCH_FIXED_TIME;
  let ctx: Awaited<ReturnType<typeof setupStore>>;
  beforeAll(() => {
    delete process.env.CODEBATCH_FIXED_TIME; // real, distinct times: the ordering is what is tested
  });
  afterAll(() => {
    ctx?.tmp.cleanup();
    if (saved !== undefined) process.env.CODEBATCH_FIXED_TIME = saved;
  });

  it('links each run to the upstream attempt it read, so no run uses an entity made after it started', async () => {
    ctx = await setupStore();
    const b = ctx.newBatch('b1');
    await runBatch(ctx.store, { batchId: b, registry });
    const shard = fs.readdirSync(ctx.store.layout.shardsDir(b, '01_parse')).sort()[0]!;
    const oldParse = readShardState(ctx.store, b, '01_parse', shard);
    const analyze = readShardState(ctx.store, b, '02_analyze', shard);
    await new Promise((r) => setTimeout(r, 20));
    await runBatch(ctx.store, {
      batchId: b,
      registry,
      taskIds: ['01_parse'],
      shardIds: [shard],
      force: true,
    });
    const newParse = readShardState(ctx.store, b, '01_parse', shard);
    expect(newParse.attempt).toBe(oldParse.attempt + 1);
    expect(newParse.started_at! > analyze.completed_at!).toBe(true);
    expect(readShardState(ctx.store, b, '02_analyze', shard)).toEqual(analyze); // not re-run

    const graph = (exportProvenance(ctx.store, b, 'prov') as { '@graph': JsonLdNode[] })['@graph'];
    const byId = new Map(graph.map((n) => [n['@id'], n]));
    const oldRun = `urn:codebatch:run:${b}/01_parse/${shard}/${oldParse.attempt}`;
    const oldOutputs = `urn:codebatch:outputs:${b}/01_parse/${shard}/${oldParse.attempt}`;
    const analyzeRun = byId.get(`urn:codebatch:run:${b}/02_analyze/${shard}/${analyze.attempt}`)!;
    expect(idsOf(analyzeRun['prov:wasInformedBy'])).toEqual([oldRun]);
    expect(idsOf(analyzeRun['prov:used'])).toContain(oldOutputs);
    // The superseded upstream attempt is described from the manifest the downstream recorded.
    expect(byId.get(oldRun)).toMatchObject({ 'cb:manifest': oldParse.manifest, 'cb:status': 'superseded' });
    expect(idsOf(byId.get(oldOutputs)!['prov:wasGeneratedBy'])).toEqual([oldRun]);
    // The new attempt and its outputs are there too, and record what they superseded.
    const newRun = byId.get(`urn:codebatch:run:${b}/01_parse/${shard}/${newParse.attempt}`)!;
    expect(newRun['cb:previousManifest']).toBe(oldParse.manifest);

    // PROV-Constraints ordering, over every activity of the export.
    let checked = 0;
    for (const activity of graph.filter((n) => n['@type'] === 'prov:Activity')) {
      const start = timeOf(activity['prov:startedAtTime']);
      if (!start) continue;
      for (const used of idsOf(activity['prov:used'])) {
        const entity = byId.get(used);
        expect(entity).toBeDefined();
        const generated = timeOf(entity!['prov:generatedAtTime']);
        if (generated) {
          expect({ used, notAfterStart: generated <= start }).toEqual({ used, notAfterStart: true });
          checked++;
        }
      }
      for (const informer of idsOf(activity['prov:wasInformedBy'])) {
        const upstream = byId.get(informer);
        expect(upstream).toBeDefined();
        // the informing run produced what this run read: it ended before this one started
        expect(timeOf(upstream!['prov:endedAtTime'])! <= start).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(4);
  });
});

describe('in-toto export: toolchain', () => {
  it('names the toolchain versions that shaped the results, from the run manifests', async () => {
    const tmp = makeTempDir('codebatch-prov-');
    try {
      const src = path.join(tmp.dir, 'src');
      writeTree(src, { 'a.ts': 'export const a = 1;\n' });
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const defaultRegistry = createDefaultRegistry();
      const snap = await createSnapshot(store, src, {});
      const { batch } = initBatch(store, {
        snapshotId: snap.record.snapshot_id,
        pipeline: 'parse',
        shards: 2,
        registry: defaultRegistry,
        id: 'ts',
      });
      await runBatch(store, { batchId: batch.batch_id, registry: defaultRegistry });
      const doc = exportProvenance(store, 'ts', 'intoto') as {
        predicate: { buildDefinition: { internalParameters: { tasks: Record<string, unknown>[] } } };
      };
      const [parse] = doc.predicate.buildDefinition.internalParameters.tasks;
      const toolchain = readToolchain();
      expect(parse).toMatchObject({
        task_id: '01_parse',
        environment: { typescript: toolchain.typescript, 'web-tree-sitter': toolchain['web-tree-sitter'] },
      });
      expect(typeof toolchain.typescript).toBe('string');
      // deterministic: the same store exports the same statement
      expect(exportProvenance(store, 'ts', 'intoto')).toEqual(doc);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('in-toto export: environment fit to publish', () => {
  it('leaves out per-shard inputs and hides facts keyed by absolute paths behind their digest', async () => {
    const ctx = await setupStore();
    try {
      const outside = { [path.join(ctx.tmp.dir, 'eslint.config.js')]: 'f'.repeat(64) };
      const withEnvironment: typeof registry = {
        ...registry,
        get(type) {
          const def = registry.get(type);
          if (type !== 'lint') return def;
          return {
            ...def,
            environment: async () => ({ tool: '9.1.0', outside }),
            shardInputs: ({ members }) => members.map((m) => m.path),
          };
        },
      };
      const b = ctx.newBatch('env');
      await runBatch(ctx.store, { batchId: b, registry: withEnvironment });
      const doc = exportProvenance(ctx.store, b, 'intoto') as {
        predicate: { buildDefinition: { internalParameters: { tasks: Record<string, unknown>[] } } };
      };
      const tasks = doc.predicate.buildDefinition.internalParameters.tasks;
      const lint = tasks.find((t) => t.task_id === '04_lint')!;
      expect(lint.environment).toEqual({
        tool: '9.1.0',
        outside: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
      });
      expect(tasks.find((t) => t.task_id === '01_parse')).not.toHaveProperty('environment');
      expect(JSON.stringify(doc)).not.toContain(ctx.tmp.dir);
    } finally {
      ctx.tmp.cleanup();
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
    expect(actions[0]!.record_id).toMatch(/^ac-[0-9a-f]{16}$/);
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
