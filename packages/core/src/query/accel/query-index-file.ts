import path from 'node:path';
import type { Store } from '../../store/store';
import type { TotalTuple } from '../tally-outputs';
import type { IndexSources } from './index-sources';

/**
 * One file per batch, `indexes/query/<batch_id>.jsonl`, so any number of batches can be
 * indexed side by side (the reference could cache one batch at a time).
 *
 * Line 1 is the header: freshness sources, path-free totals, and the byte ranges of the
 * sections that follow it. Each query reads the header and only the sections it needs:
 * stats and countOutputs the header alone; files and top the per-path count rows (one JSON
 * line); diagnostics one JSONL section per severity, each in canonical order, so
 * `--severity error` (and `errors`) parse only the errors.
 */
export const QUERY_INDEX_SCHEMA = 'codebatch.query_index';
/** Bumped whenever the layout of the file changes: older files are then simply ignored. */
export const QUERY_INDEX_VERSION = 3;

/** [offset, length] in bytes, relative to the first byte after the header line. */
export type ByteRange = [number, number];

/** Diagnostics without one of the four severities land in `other`, so none is dropped. */
export const DIAGNOSTIC_SECTIONS = ['error', 'warning', 'info', 'hint', 'other'] as const;
export type DiagnosticSection = (typeof DIAGNOSTIC_SECTIONS)[number];

export interface QueryIndexHeader {
  schema_name: typeof QUERY_INDEX_SCHEMA;
  schema_version: number;
  index_version: number;
  sources: IndexSources;
  record_count: number;
  diagnostic_count: number;
  totals: TotalTuple[];
  sections: {
    count_rows: ByteRange;
    diagnostics: Record<DiagnosticSection, { range: ByteRange; count: number }>;
  };
}

export function sectionOf(severity: string | undefined): DiagnosticSection {
  return severity === 'error' || severity === 'warning' || severity === 'info' || severity === 'hint'
    ? severity
    : 'other';
}

export function queryIndexDir(store: Store): string {
  return path.join(store.layout.indexesDir, 'query');
}

/** `batchId` has been validated by the layout (loadBatchView) before it reaches a path. */
export function queryIndexFile(store: Store, batchId: string): string {
  return path.join(queryIndexDir(store), `${batchId}.jsonl`);
}
