import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError } from '../../errors/codebatch-error';
import type { OutputRecord } from '../../schemas/output-record';
import { writeFileAtomic } from '../../store/atomic-write';
import { toJsonl } from '../../store/jsonl';
import type { Store } from '../../store/store';
import { canonicalJson } from '../../util/canonical-json';
import { loadBatchView } from '../batch-view';
import { readFilesByPath } from '../files-index';
import { scanOutputs } from '../scan-outputs';
import { aggregateTotals, tallyOutputs, toCountTuple, toTotalTuple } from '../tally-outputs';
import { computeIndexSources } from './index-sources';
import {
  type ByteRange,
  DIAGNOSTIC_SECTIONS,
  type DiagnosticSection,
  QUERY_INDEX_SCHEMA,
  QUERY_INDEX_VERSION,
  type QueryIndexHeader,
  queryIndexFile,
  sectionOf,
} from './query-index-file';

export interface BuildQueryIndexResult {
  batch_id: string;
  file: string;
  records: number;
  diagnostics: number;
  count_rows: number;
  bytes: number;
}

const MAX_ATTEMPTS = 3;

/**
 * Builds (or rebuilds) the acceleration index of one batch from the shard indexes. The only
 * query-side write: it goes through writeFileAtomic, so a reader sees the old index, the new
 * one, or none, and a crash leaves no half file that could be mistaken for an index.
 */
export function buildQueryIndex(store: Store, batchId: string): BuildQueryIndexResult {
  const view = loadBatchView(store, batchId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    // Sources before and after the scan: if a shard committed in between, the records read may
    // not match the sources recorded, so that build is thrown away instead of written.
    const before = computeIndexSources(view);
    const records = scanOutputs(view, view.taskIds);
    const after = computeIndexSources(view);
    if (canonicalJson(before) !== canonicalJson(after)) continue;
    return writeIndex(store, batchId, before, records);
  }
  throw new CodebatchError('E_LOCKED', `batch ${batchId} kept changing while its index was built`, {
    hints: ['Build the index after the run finishes; queries answer correctly without it meanwhile.'],
    details: { batch_id: batchId },
  });
}

function writeIndex(
  store: Store,
  batchId: string,
  sources: QueryIndexHeader['sources'],
  records: OutputRecord[],
): BuildQueryIndexResult {
  const files = readFilesByPath(store, sources.snapshot_id);
  const rows = tallyOutputs(records, files);
  const parts: Buffer[] = [];
  let offset = 0;
  const addSection = (text: string): ByteRange => {
    const bytes = Buffer.from(text, 'utf8');
    parts.push(bytes);
    offset += bytes.length;
    return [offset - bytes.length, bytes.length];
  };
  const countRows = addSection(`${JSON.stringify(rows.map(toCountTuple))}\n`);
  const bySection = new Map<DiagnosticSection, OutputRecord[]>(DIAGNOSTIC_SECTIONS.map((s) => [s, []]));
  let diagnosticCount = 0;
  for (const r of records) {
    if (r.kind !== 'diagnostic') continue;
    bySection.get(sectionOf(r.severity))!.push(r);
    diagnosticCount += 1;
  }
  const diagnostics = {} as QueryIndexHeader['sections']['diagnostics'];
  for (const [section, list] of bySection)
    diagnostics[section] = { range: addSection(toJsonl(list)), count: list.length };
  const header: QueryIndexHeader = {
    schema_name: QUERY_INDEX_SCHEMA,
    schema_version: 1,
    index_version: QUERY_INDEX_VERSION,
    sources,
    record_count: records.length,
    diagnostic_count: diagnosticCount,
    totals: aggregateTotals(rows).map(toTotalTuple),
    sections: { count_rows: countRows, diagnostics },
  };
  const data = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...parts]);
  const file = queryIndexFile(store, batchId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, data);
  return {
    batch_id: batchId,
    file,
    records: records.length,
    diagnostics: diagnosticCount,
    count_rows: rows.length,
    bytes: data.length,
  };
}
