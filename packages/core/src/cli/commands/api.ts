import { PIPELINES } from '../../batch/pipelines';
import { createDefaultRegistry } from '../../tasks/default-registry';
import { ENGINE_VERSION, SCHEMA_VERSION } from '../../version';
import type { CommandSpec } from '../command';
import { formatJson } from '../output';

/** Canonical diff keys per output kind (query/diff/diff-keys.ts implements them). */
const OUTPUT_KINDS = [
  { kind: 'ast', description: 'Stored syntax tree of a file', canonical_key: ['task_id', 'path'] },
  {
    kind: 'diagnostic',
    description: 'A finding with severity, code, message, line, col',
    canonical_key: ['task_id', 'path', 'code', 'line_fingerprint', 'occurrence'],
  },
  {
    kind: 'metric',
    description: 'A named per-file measurement',
    canonical_key: ['task_id', 'path', 'metric'],
  },
  {
    kind: 'symbol',
    description: 'A declared name',
    canonical_key: ['task_id', 'path', 'symbol_type', 'scope', 'name', 'occurrence'],
  },
  {
    kind: 'edge',
    description: 'A relation: imports, exports, calls, inherits, implements',
    canonical_key: ['task_id', 'path', 'edge_type', 'target', 'occurrence'],
  },
];

/**
 * `codebatch api --json`: what this build can do, for integration clients. Follows the
 * reference api schema except `build.node` in place of `build.python` (we run on Node).
 */
export const apiCommand: CommandSpec = {
  name: 'api',
  summary: 'Describe commands, pipelines, tasks and output kinds (machine-readable with --json)',
  group: 'meta',
  since: '0.1.0',
  readOnly: true,
  requiresStore: false,
  run(ctx) {
    const registry = createDefaultRegistry();
    const pipelineTasks = new Map(
      Object.values(PIPELINES).flatMap((p) => p.tasks.map((t) => [t.type, t] as const)),
    );
    const api = {
      schema_name: 'codebatch.api',
      schema_version: SCHEMA_VERSION,
      producer: { name: 'codebatch', version: ENGINE_VERSION },
      build: {
        platform: process.platform,
        node: process.versions.node,
        schema_version: SCHEMA_VERSION,
        features: { json_output: true, acceleration_index: true, chunked_outputs: true, gitignore: true },
      },
      commands: ctx.commands.map((c) => ({
        name: c.name.replace(/[ -]/g, '.'),
        description: c.summary,
        read_only: c.readOnly,
        supports_json: true,
        requires_store: c.requiresStore,
        requires_batch: c.requiresBatch ?? false,
        since: c.since,
        group: c.group,
      })),
      pipelines: Object.values(PIPELINES).map((p) => ({
        name: p.name,
        description: p.description,
        tasks: p.tasks.map((t) => ({ task_id: t.task_id, deps: t.depends_on })),
      })),
      tasks: registry.types().map((type) => {
        const def = registry.get(type);
        const t = pipelineTasks.get(type as never);
        return {
          task_id: t?.task_id ?? type,
          type,
          description: def.description,
          kinds_out: [...def.kindsOut],
          deps: t?.depends_on ?? [],
        };
      }),
      output_kinds: OUTPUT_KINDS,
    };
    if (ctx.json) ctx.stdout(formatJson(api));
    else {
      ctx.stdout(`codebatch ${ENGINE_VERSION} (schema ${SCHEMA_VERSION}), ${api.commands.length} commands\n`);
      for (const p of api.pipelines)
        ctx.stdout(`pipeline ${p.name}: ${p.tasks.map((t) => t.task_id).join(' -> ')}\n`);
      for (const t of api.tasks) ctx.stdout(`task ${t.task_id} (${t.type}): ${t.kinds_out.join(', ')}\n`);
    }
    return 0;
  },
};
