import fs from 'node:fs';
import path from 'node:path';
import { shardOf } from '../../../batch/shard-assignment';
import { registry, setupStore, TREE } from '../../../provenance/__tests__/provenance-fixture';
import { runBatchWithProvenance } from '../../../provenance/run-with-provenance';
import { runBatch } from '../../../run/run-batch';
import { main } from '../../main';

let ctx: Awaited<ReturnType<typeof setupStore>>;
afterEach(() => ctx?.tmp.cleanup());

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main({
    argv: [...argv, '--store', ctx.store.layout.root],
    cwd: ctx.tmp.dir,
    env: {},
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

describe('provenance commands', () => {
  it('manifest show, explain-miss, sessions, provenance export, events export', async () => {
    ctx = await setupStore(TREE, 4);
    const b1 = ctx.newBatch('b1');
    const first = await runBatchWithProvenance(ctx.store, { batchId: b1, registry });
    const b2 = ctx.newBatch('b2', { tasks: { lint: { word: 'WORSE' } } });
    await runBatch(ctx.store, { batchId: b2, registry });
    const shard = shardOf({ strategy: 'path_hash', shard_count: 4 }, { path: 'src/a.ts', object: '' });

    const batchView = await cli(['manifest', 'show', '--batch', 'b1']);
    expect(batchView.code).toBe(0);
    expect(batchView.out).toMatch(/last written batch manifest sha256:/);
    expect(batchView.out).toMatch(new RegExp(`04_lint\\s+${shard}\\s+done`));

    const shardView = await cli([
      'manifest',
      'show',
      '--batch',
      'b1',
      '--task',
      '04_lint',
      '--shard',
      shard,
      '--json',
    ]);
    const shown = JSON.parse(shardView.out) as {
      files: { path: string; object: string }[];
      manifest: {
        kind: string;
        task: { type: string };
        inputs: { files?: unknown[] };
        input_bundle: { preimage: { members?: unknown[] }; members_object?: string };
      };
    };
    expect(shown.manifest).toMatchObject({ kind: 'shard_run', task: { type: 'lint' } });
    // The runner names the shard's files by one members object instead of listing them twice.
    expect(shown.manifest.inputs.files).toBeUndefined();
    expect(shown.manifest.input_bundle.preimage.members).toBeUndefined();
    expect(shown.manifest.input_bundle.members_object).toMatch(/^sha256:[a-f0-9]{64}$/);
    const shardText = await cli(['manifest', 'show', '--batch', 'b1', '--task', '04_lint', '--shard', shard]);
    const listed = Number(/inputs\s+(\d+) files/.exec(shardText.out)?.[1]);
    expect(listed).toBeGreaterThan(0);
    // --json gives the list beside the stored manifest.
    expect(shown.files).toHaveLength(listed);
    expect(shown.files[0]).toEqual({ path: expect.any(String), object: expect.stringMatching(/^sha256:/) });

    const miss = await cli(['explain-miss', '--batch', 'b2', '--task', '04_lint', '--shard', shard]);
    expect(miss.code).toBe(0);
    expect(miss.out).toMatch(/changed: config_digest, config\n/);
    expect(miss.out).toMatch(/config_digest: [0-9a-f]{12} -> [0-9a-f]{12}/);
    expect(miss.out).toContain('config.word: "BAD" -> "WORSE"');
    const same = await cli([
      'explain-miss',
      '--batch',
      'b2',
      '--task',
      '01_parse',
      '--shard',
      shard,
      '--against',
      'b1',
      '--json',
    ]);
    expect(JSON.parse(same.out)).toMatchObject({ same: true, against: { batch_id: 'b1' } });

    const list = await cli(['sessions', 'list', '--json']);
    expect(JSON.parse(list.out)).toEqual([
      expect.objectContaining({ session_id: first.sessionId, batch_id: 'b1', status: 'complete' }),
    ]);
    const show = await cli(['sessions', 'show', first.sessionId!.slice(0, 6)]);
    expect(show.out).toMatch(new RegExp(`session ${first.sessionId} \\(run\\) batch b1: complete`));
    expect(show.out).toMatch(/execute_shard\s+01_parse/);
    expect((await cli(['sessions', 'show', 'ffffffffffffff'])).code).toBe(2);

    const out = path.join(ctx.tmp.dir, 'prov.intoto.json');
    expect(
      (await cli(['provenance', 'export', '--batch', 'b1', '--format', 'intoto', '--out', out])).code,
    ).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      predicate: { runDetails: { metadata: { invocationId: `urn:codebatch:session:${first.sessionId}` } } },
    });
    const prov = await cli(['provenance', 'export', '--batch', 'b1']);
    expect(JSON.parse(prov.out)['@context'].prov).toBe('http://www.w3.org/ns/prov#');
    expect((await cli(['provenance', 'export', '--batch', 'b1', '--format', 'spdx'])).code).toBe(2);

    const csv = await cli(['events', 'export', '--batch', 'b1', '--format', 'csv']);
    expect(csv.out.split('\r\n')[0]).toBe(
      'timestamp,record_id,session_id,actor_id,event_type,level,batch_id,task_id,shard_id,attempt,text,meta_json',
    );
    const jsonl = await cli(['events', 'export', '--batch', 'b1']);
    expect(
      jsonl.out
        .trimEnd()
        .split('\n')
        .every((l) => JSON.parse(l).batch_id === 'b1'),
    ).toBe(true);
  });
});
