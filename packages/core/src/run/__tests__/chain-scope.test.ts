import { openBatchContext } from '../../test-support/batch-context-fixture';
import { makeTempDir } from '../../test-support/temp-dir';
import { createChainScope, keepUpstreamIndex } from '../chain-scope';

/** What a chain keeps of an upstream task's outputs for the tasks after it. */
describe('chain scope upstream outputs', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  async function lintChain() {
    const { ctx, records, members } = await openBatchContext(tmp.dir, 'lint');
    return createChainScope(ctx, records.tasks.get('01_parse')!.sharding.shard_ids[0]!, members);
  }

  it('keeps a skipped or reused index unparsed until a later task asks for it', async () => {
    const scope = await lintChain();
    // Not JSON: were it parsed when kept, keeping it would throw.
    keepUpstreamIndex(scope, '01_parse', Buffer.from('not an index\n'));
    expect(scope.upstream.has('01_parse')).toBe(true);
    expect(() => scope.upstream.get('01_parse')).toThrow();
  });

  it('gives a later task the records by path, without their envelope, parsing the index once', async () => {
    const scope = await lintChain();
    const envelope = {
      schema_version: 1,
      snapshot_id: 's',
      batch_id: 'b1',
      task_id: '01_parse',
      shard_id: '00',
    };
    const lines = [
      { ...envelope, path: 'a.ts', kind: 'ast', object: 'sha256:1', ts: 't' },
      { ...envelope, path: 'b.ts', kind: 'ast', object: 'sha256:2', ts: 't' },
      { ...envelope, path: 'a.ts', kind: 'diagnostic', severity: 'warning', ts: 't' },
    ];
    keepUpstreamIndex(scope, '01_parse', Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join('')));
    const first = scope.upstream.get('01_parse')!;
    expect(first.get('a.ts')!.map((r) => r.record)).toEqual([
      { path: 'a.ts', kind: 'ast', object: 'sha256:1' },
      { path: 'a.ts', kind: 'diagnostic', severity: 'warning' },
    ]);
    expect(scope.files.find((f) => f.path === 'b.ts')!.upstream('01_parse')).toEqual([
      { path: 'b.ts', kind: 'ast', object: 'sha256:2' },
    ]);
    expect(scope.upstream.get('01_parse')).toBe(first);
  });

  it('keeps nothing of a task no later task reads', async () => {
    const scope = await lintChain();
    keepUpstreamIndex(scope, '04_lint', Buffer.from('not an index\n'));
    expect(scope.upstream.has('04_lint')).toBe(false);
  });
});
