import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PIPELINE_CATALOG, TASK_CATALOG } from '@codebatch/core';
import type { TargetConfiguration } from '@nx/devkit';
import lintSchema from '../../executors/lint/schema.json';
import runSchema from '../../executors/run/schema.json';
import { makeCreateNodesFunction } from '../../plugin/create-nodes';
import { normalizePluginOptions } from '../../plugin/options';
import { CODEBATCH_TASKS, TASK_ENGINE_IDS, TASK_PIPELINE } from '../tasks';

/**
 * The plugin keeps no list of its own: targets, options and executor schemas follow core's
 * TASK_CATALOG and PIPELINE_CATALOG. These tests fail when a task or pipeline is added to core
 * and something here still lists the old ones.
 */
describe("the plugin's tasks follow core's catalog", () => {
  const catalog = Object.entries(TASK_CATALOG);

  it('accepts every catalog task as a plugin option value, in catalog order, and names none it lacks', () => {
    const reversed = Object.keys(TASK_CATALOG).reverse() as (keyof typeof TASK_CATALOG)[];
    expect(normalizePluginOptions({ tasks: reversed }).tasks).toEqual(Object.keys(TASK_CATALOG));
    expect(() => normalizePluginOptions({ tasks: ['lint', 'format' as never] })).toThrow(
      `must list some of ${Object.keys(TASK_CATALOG).join(', ')}; unknown: format`,
    );
  });

  it('infers one target per catalog entry on a project ESLint covers, wired as the catalog says', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-nx-catalog-'));
    try {
      fs.mkdirSync(path.join(root, 'app'));
      fs.writeFileSync(path.join(root, 'app/project.json'), '{}');
      fs.writeFileSync(path.join(root, 'eslint.config.mjs'), 'export default [];\n');
      const results = await makeCreateNodesFunction(() => undefined)(
        ['app/project.json', 'eslint.config.mjs'],
        { tasks: [...CODEBATCH_TASKS] },
        { workspaceRoot: root, nxJsonConfiguration: {} },
      );
      const targets = results.flatMap(([, r]) => Object.values(r.projects ?? {}))[0]!.targets as Record<
        string,
        TargetConfiguration
      >;
      expect(Object.keys(targets).sort()).toEqual(catalog.map(([, e]) => e.target).sort());
      for (const [type, entry] of catalog) {
        const target = targets[entry.target]!;
        expect([type, target.dependsOn ?? []]).toEqual([
          type,
          entry.dependsOn.map((d) => TASK_CATALOG[d as keyof typeof TASK_CATALOG].target),
        ]);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("runs each task in a catalog pipeline that plans it, and reports the task's own diagnostics", () => {
    for (const [type, entry] of catalog) {
      const pipeline = PIPELINE_CATALOG[TASK_PIPELINE[type as keyof typeof TASK_CATALOG]];
      expect([type, (pipeline.tasks as readonly string[]).includes(type)]).toEqual([type, true]);
      expect(TASK_ENGINE_IDS[type as keyof typeof TASK_CATALOG]).toContain(entry.taskId);
    }
    // lint's pipeline plans ESLint conditionally: its diagnostics belong to codebatch-lint, not
    // to codebatch-symbols, whose `full` plans it too.
    expect(TASK_ENGINE_IDS.lint).toEqual(['01_parse', '04_lint', '05_eslint']);
    expect(TASK_ENGINE_IDS.symbols).toEqual(['01_parse', '03_symbols']);
    expect(TASK_ENGINE_IDS.eslint).toEqual(['05_eslint']);
    expect(TASK_PIPELINE).toEqual({
      parse: 'parse',
      analyze: 'analyze',
      symbols: 'full',
      lint: 'lint',
      eslint: 'eslint',
    });
  });

  it("keeps the executor schemas' pipeline and task enums equal to the catalog", () => {
    expect(lintSchema.properties.pipeline.enum).toEqual(Object.keys(PIPELINE_CATALOG));
    expect(runSchema.properties.pipeline.enum).toEqual(Object.keys(PIPELINE_CATALOG));
    expect(runSchema.properties.task.enum).toEqual(Object.keys(TASK_CATALOG));
  });
});
