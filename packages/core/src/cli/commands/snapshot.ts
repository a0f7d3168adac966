import fs from 'node:fs';
import path from 'node:path';
import { escapeText } from '../../report/escape-text';
import { createSnapshot, type SnapshotProgress } from '../../snapshot/create-snapshot';
import { initStore, openStore, type Store } from '../../store/store';
import { boolOpt, type CommandContext, type CommandSpec, listOpt, stringOpt } from '../command';
import { formatJson } from '../output';

const MAX_WARNINGS_SHOWN = 20;

export const snapshotCommand: CommandSpec = {
  name: 'snapshot',
  summary: 'Freeze a source directory into the store (honours .gitignore; unchanged trees are reused)',
  group: 'snapshot',
  since: '0.1.0',
  readOnly: false,
  // Like `git init` on first use: a missing store is created (an existing non-store directory
  // is still refused by initStore), so `codebatch snapshot .` works in a fresh checkout.
  requiresStore: false,
  positionals: [{ name: 'dir', description: 'Source directory to snapshot', required: true }],
  options: {
    id: { type: 'string', description: 'Snapshot id (default: derived from the content)', valueName: 'id' },
    include: {
      type: 'string',
      multiple: true,
      description: 'Only files matching this glob',
      valueName: 'glob',
    },
    exclude: {
      type: 'string',
      multiple: true,
      description: 'Leave out files matching this glob',
      valueName: 'glob',
    },
    'no-gitignore': {
      type: 'boolean',
      description: 'Do not honour .gitignore files (.git/ is still skipped)',
    },
  },
  run(ctx) {
    const store = openOrCreateStore(ctx);
    const showProgress = ctx.isTty && !ctx.quiet && !ctx.json;
    const result = createSnapshot(store, path.resolve(ctx.cwd, ctx.positionals[0]!), {
      id: stringOpt(ctx, 'id'),
      include: listOpt(ctx, 'include'),
      exclude: listOpt(ctx, 'exclude'),
      gitignore: !boolOpt(ctx, 'no-gitignore'),
      onProgress: showProgress ? (p) => ctx.stderr(`\r${progressLine(p)}`) : undefined,
    });
    if (showProgress) ctx.stderr('\r\x1b[K');
    const { record, stats, reused } = result;
    if (ctx.json) {
      ctx.stdout(formatJson({ record, stats, reused }));
      return 0;
    }
    if (ctx.quiet) {
      ctx.stdout(`${record.snapshot_id}\n`);
      return 0;
    }
    for (const w of record.warnings.slice(0, MAX_WARNINGS_SHOWN))
      ctx.stderr(`warning[${w.code}]: ${escapeText(w.path)}: ${escapeText(w.message)}\n`);
    if (record.warnings.length > MAX_WARNINGS_SHOWN) {
      ctx.stderr(
        `... ${record.warnings.length - MAX_WARNINGS_SHOWN} more (codebatch snapshot show ${record.snapshot_id} --json)\n`,
      );
    }
    ctx.stdout(
      `snapshot ${record.snapshot_id} (${reused ? 'reused: identical snapshot already in the store' : 'created'})\n` +
        `  files     ${record.file_count} (${formatBytes(record.total_bytes)})\n` +
        `  hashed    ${stats.hashed}, from stat cache ${stats.cached}, from git ${stats.fromGit}, in ${stats.durationMs} ms\n` +
        `  warnings  ${record.warnings.length}\n`,
    );
    return 0;
  },
};

function openOrCreateStore(ctx: CommandContext): Store {
  if (fs.existsSync(path.join(ctx.storeDir, 'store.json'))) return openStore(ctx.storeDir);
  const { store, created } = initStore(ctx.storeDir);
  if (created && !ctx.quiet && !ctx.json) ctx.stderr(`Created store ${escapeText(store.layout.root)}\n`);
  return store;
}

function progressLine(p: SnapshotProgress): string {
  return `snapshot: ${p.files} files (${p.hashed} hashed, ${p.cached} cached)`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
