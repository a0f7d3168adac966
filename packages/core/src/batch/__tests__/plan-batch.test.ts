import path from 'node:path';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore } from '../../store/store';
import { createDefaultRegistry } from '../../tasks/default-registry';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { planBatch } from '../init-batch';

/** Which tasks a `lint` batch plans: ESLint joins when ESLint would find a config, or when told to. */
describe('planBatch: the conditional ESLint task', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  async function plannedTasks(files: Record<string, string>, snapshotDir: string, eslint?: 'auto' | boolean) {
    writeTree(tmp.dir, files);
    const { store } = initStore(path.join(tmp.dir, '.store'));
    const snapshot = await createSnapshot(store, path.join(tmp.dir, snapshotDir), {});
    const plan = planBatch(store, {
      snapshotId: snapshot.record.snapshot_id,
      pipeline: 'lint',
      config: eslint === undefined ? undefined : { eslint },
      registry: createDefaultRegistry(),
    });
    return plan.planTasks.map((t) => t.task_id);
  }

  it('auto: planned when the tree has a flat config or an eslintrc, not otherwise', async () => {
    expect(await plannedTasks({ 'p/a.js': 'x;\n', 'p/eslint.config.mjs': '' }, 'p')).toEqual([
      '01_parse',
      '04_lint',
      '05_eslint',
    ]);
    expect(await plannedTasks({ 'q/a.js': 'x;\n', 'q/sub/.eslintrc.json': '{}' }, 'q')).toContain(
      '05_eslint',
    );
    expect(await plannedTasks({ 'r/a.js': 'x;\n' }, 'r')).toEqual(['01_parse', '04_lint']);
  });

  it('auto: planned for a project under a folder whose ESLint config covers it (an Nx workspace root)', async () => {
    expect(await plannedTasks({ 'eslint.config.mjs': '', 'apps/app/a.js': 'x;\n' }, 'apps/app')).toContain(
      '05_eslint',
    );
  });

  it('true and false override detection', async () => {
    expect(await plannedTasks({ 's/a.js': 'x;\n' }, 's', true)).toContain('05_eslint');
    expect(await plannedTasks({ 't/a.js': 'x;\n', 't/eslint.config.mjs': '' }, 't', false)).not.toContain(
      '05_eslint',
    );
  });

  it('the plan digest differs when ESLint joins, so a batch without it is never taken for one with it', async () => {
    writeTree(tmp.dir, { 'u/a.js': 'x;\n' });
    const { store } = initStore(path.join(tmp.dir, '.store'));
    const snapshot = await createSnapshot(store, path.join(tmp.dir, 'u'), {});
    const base = {
      snapshotId: snapshot.record.snapshot_id,
      pipeline: 'lint' as const,
      registry: createDefaultRegistry(),
    };
    expect(planBatch(store, { ...base, config: { eslint: true } }).configDigest).not.toBe(
      planBatch(store, { ...base, config: { eslint: false } }).configDigest,
    );
  });
});
