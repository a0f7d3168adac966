import { repoPath } from './annotations';
import { compareDiagnostics, type Diagnostic, SEVERITIES, type SeverityCounts } from './diagnostics';

/** GITHUB_STEP_SUMMARY accepts at most 1 MiB per step; a larger file is not shown at all. */
export const JOB_SUMMARY_MAX_BYTES = 1024 * 1024;

export interface SummaryInput {
  title: string;
  batchId?: string;
  baseBatchId?: string;
  /** e.g. `123 files, 4 executed, 119 reused`. */
  stats?: string;
  counts: SeverityCounts;
  /** Every diagnostic of the batch (for the rule and file tables). */
  diagnostics: readonly Diagnostic[];
  /** The "new problems" table. */
  newProblems: readonly Diagnostic[];
  pathPrefix?: string;
  notes?: string[];
}

const ICON: Record<string, string> = { error: '🔴', warning: '🟠', info: '🔵', hint: '⚪' };

/** Escapes text for a Markdown table cell: pipes, newlines and HTML. */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}

/**
 * The job summary (and check-run summary) as Markdown, at most `maxBytes` UTF-8 bytes. Fixed
 * sections come first; the tables take rows while they fit and end with a line that says how
 * many rows were left out, so a huge batch degrades to a shorter table, never to no summary.
 *
 * @param maxBytes JOB_SUMMARY_MAX_BYTES for the job summary, 65535 for a check run
 */
export function buildSummaryMarkdown(input: SummaryInput, maxBytes: number = JOB_SUMMARY_MAX_BYTES): string {
  const out = new Budget(maxBytes);
  const prefix = input.pathPrefix ?? '';
  out.add(`## ${escapeCell(input.title)}\n\n`);
  const facts = [
    input.batchId ? `batch \`${input.batchId}\`` : undefined,
    input.baseBatchId ? `compared with base batch \`${input.baseBatchId}\`` : 'no base batch to compare with',
    input.stats,
  ].filter(Boolean);
  out.add(`${facts.join(' · ')}\n\n`);
  out.add(`| Severity | All | New |\n|---|---:|---:|\n`);
  const newCounts = countNew(input.newProblems);
  for (const s of SEVERITIES) out.add(`| ${ICON[s]} ${s} | ${input.counts[s]} | ${newCounts[s]} |\n`);
  out.add('\n');
  for (const note of input.notes ?? []) out.add(`> ${escapeCell(note)}\n\n`);

  const newRows = [...input.newProblems].sort(compareDiagnostics).map((d) => {
    const where = `${repoPath(prefix, d.path)}:${d.line ?? 1}${d.col ? `:${d.col}` : ''}`;
    return `| ${ICON[d.severity ?? 'warning']} | \`${escapeCell(where)}\` | ${escapeCell(d.code ?? '')} | ${escapeCell(truncate(d.message ?? '', 300))} |\n`;
  });
  out.table(
    `### New problems (${input.newProblems.length})\n\n`,
    '| | Location | Rule | Message |\n|---|---|---|---|\n',
    newRows,
    input.newProblems.length === 0 ? 'No new problems.\n\n' : undefined,
  );

  const byRule = new Map<string, { severity: string; count: number }>();
  for (const d of input.diagnostics) {
    const key = `${d.code ?? '(no code)'}\u0000${d.severity ?? 'warning'}`;
    const entry = byRule.get(key) ?? { severity: d.severity ?? 'warning', count: 0 };
    entry.count++;
    byRule.set(key, entry);
  }
  const ruleRows = [...byRule]
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(
      ([key, { severity, count }]) =>
        `| ${escapeCell(key.split('\u0000')[0]!)} | ${ICON[severity]} ${severity} | ${count} |\n`,
    );
  out.table(
    '### By rule\n\n',
    '| Rule | Severity | Count |\n|---|---|---:|\n',
    ruleRows,
    input.diagnostics.length === 0 ? 'No diagnostics.\n\n' : undefined,
  );

  const byFile = new Map<string, number>();
  for (const d of input.diagnostics) byFile.set(d.path, (byFile.get(d.path) ?? 0) + 1);
  const fileRows = [...byFile]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([file, count]) => `| \`${escapeCell(repoPath(prefix, file))}\` | ${count} |\n`);
  if (fileRows.length > 0) out.table('### Top files\n\n', '| File | Diagnostics |\n|---|---:|\n', fileRows);
  return out.text();
}

function countNew(list: readonly Diagnostic[]): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of list) c[d.severity ?? 'warning']++;
  return c;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Appends Markdown while it fits; every table leaves room for its "N more" line. */
class Budget {
  private parts: string[] = [];
  private used = 0;
  private full = false;
  // Room kept for the "rows not shown" line of the table being written.
  private static readonly RESERVE = 120;

  constructor(private readonly max: number) {}

  add(text: string): boolean {
    const size = Buffer.byteLength(text);
    if (this.full || this.used + size > this.max) {
      this.full = true;
      return false;
    }
    this.parts.push(text);
    this.used += size;
    return true;
  }

  table(heading: string, header: string, rows: string[], whenEmpty?: string): void {
    if (whenEmpty !== undefined && rows.length === 0) {
      this.add(heading + whenEmpty);
      return;
    }
    if (this.used + Buffer.byteLength(heading + header) + Budget.RESERVE > this.max) {
      this.full = true;
      return;
    }
    this.add(heading + header);
    let shown = 0;
    for (const row of rows) {
      if (this.used + Buffer.byteLength(row) + Budget.RESERVE > this.max) break;
      this.add(row);
      shown++;
    }
    if (shown < rows.length) {
      this.parts.push(
        `\n_${rows.length - shown} more rows not shown (summary size limit); see the SARIF file._\n`,
      );
      this.used = this.parts.reduce((n, p) => n + Buffer.byteLength(p), 0);
      this.full = true;
    }
    this.add('\n');
  }

  text(): string {
    return this.parts.join('');
  }
}
