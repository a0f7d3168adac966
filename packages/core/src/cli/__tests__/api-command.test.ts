import { PIPELINES } from '../../batch/pipelines';
import { makeTempDir } from '../../test-support/temp-dir';
import { main } from '../main';
import { COMMANDS } from '../registry';

/** `codebatch api --json` describes this build from the lists declared once: commands, pipelines, tasks. */
describe('codebatch api', () => {
  it('lists every command of the registry, every pipeline with its tasks, and the output kinds', async () => {
    const tmp = makeTempDir();
    try {
      let out = '';
      const code = await main({
        argv: ['api', '--json'],
        cwd: tmp.dir,
        env: {},
        isTty: false,
        stdout: (t) => (out += t),
        stderr: () => {},
      });
      expect(code).toBe(0);
      const api = JSON.parse(out) as {
        schema_name: string;
        commands: { name: string; read_only: boolean; group: string }[];
        pipelines: { name: string; tasks: { task_id: string }[] }[];
        output_kinds: { kind: string }[];
      };
      expect(api.schema_name).toBe('codebatch.api');
      expect(api.commands.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name.replace(/[ -]/g, '.')));
      expect(api.commands.find((c) => c.name === 'query.diagnostics')).toMatchObject({
        read_only: true,
        group: 'query',
      });
      expect(api.pipelines.map((p) => [p.name, p.tasks.map((t) => t.task_id)])).toEqual(
        Object.values(PIPELINES).map((p) => [p.name, p.tasks.map((t) => t.task_id)]),
      );
      expect(api.output_kinds.map((k) => k.kind)).toContain('diagnostic');
    } finally {
      tmp.cleanup();
    }
  });
});
