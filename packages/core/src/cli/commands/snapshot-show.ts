import { escapeText } from '../../report/escape-text';
import { readFilesIndex, readSnapshotRecord } from '../../snapshot/read-snapshot';
import { boolOpt, type CommandSpec } from '../command';
import { formatJson, formatTable } from '../output';
import { formatBytes } from './snapshot';

export const snapshotShowCommand: CommandSpec = {
  name: 'snapshot show',
  aliases: ['snapshot-show'],
  summary: 'Show one snapshot: source, counts, filters, warnings (--files: every file)',
  group: 'snapshot',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  positionals: [{ name: 'id', description: 'Snapshot id', required: true }],
  options: {
    files: { type: 'boolean', description: 'List the files (path, size, language, object)' },
  },
  run(ctx) {
    const store = ctx.openStore();
    const id = ctx.positionals[0]!;
    const record = readSnapshotRecord(store, id);
    const files = boolOpt(ctx, 'files') ? readFilesIndex(store, id) : undefined;
    if (ctx.json) {
      ctx.stdout(formatJson(files ? { record, files } : { record }));
      return 0;
    }
    const { source, filters } = record;
    let out =
      `snapshot ${record.snapshot_id}\n` +
      `  created   ${record.created_at}\n` +
      `  source    ${escapeText(source.path)}${source.git_ref ? ` @ ${source.git_ref.slice(0, 12)}${source.git_dirty ? ' (dirty)' : ''}` : ''}\n` +
      `  files     ${record.file_count} (${formatBytes(record.total_bytes)})\n`;
    if (filters) {
      out += `  filters   gitignore ${filters.gitignore ? 'on' : 'off'}`;
      if (filters.include.length) out += `, include ${escapeText(filters.include.join(' '))}`;
      if (filters.exclude.length) out += `, exclude ${escapeText(filters.exclude.join(' '))}`;
      out += '\n';
    }
    out += `  warnings  ${record.warnings.length}\n`;
    for (const w of record.warnings)
      out += `    ${w.code}  ${escapeText(w.path)}  ${escapeText(w.message)}\n`;
    ctx.stdout(out);
    if (files) {
      const rows = files.map((f) => [
        f.path,
        f.size,
        f.lang_hint ?? '-',
        f.text === false ? 'binary' : 'text',
        f.object.slice(7, 19),
      ]);
      ctx.stdout(formatTable(['PATH', 'SIZE', 'LANG', 'KIND', 'OBJECT'], rows));
    }
    return 0;
  },
};
