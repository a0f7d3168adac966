import fs from 'node:fs';
import { parseJsonl } from '../../store/jsonl';
import type { Store } from '../../store/store';
import { canonicalJson } from '../../util/canonical-json';
import { loadBatchView } from '../batch-view';
import { computeIndexSources } from './index-sources';
import {
  type ByteRange,
  DIAGNOSTIC_SECTIONS,
  QUERY_INDEX_SCHEMA,
  QUERY_INDEX_VERSION,
  type QueryIndexHeader,
} from './query-index-file';

/** `damaged`: the file does not parse; `stale`: it parses but its sources are not today's. */
export type QueryIndexCheck = { status: 'fresh' } | { status: 'stale' | 'damaged'; reason: string };

/**
 * Checks one acceleration index whole, for `codebatch verify`: every section must parse with
 * the count its header states, and the recorded source digests must equal the batch's current
 * ones. Queries make the same decision per section they read; this reads them all.
 *
 * @param file an `indexes/query/<batch_id>.jsonl` file; the batch id is its name.
 * @returns why the index would be ignored by queries, or `fresh`. Never throws.
 */
export function checkQueryIndex(store: Store, batchId: string, file: string): QueryIndexCheck {
  let header: QueryIndexHeader;
  try {
    const bytes = fs.readFileSync(file);
    const nl = bytes.indexOf(0x0a);
    if (nl < 0) return { status: 'damaged', reason: 'no header line' };
    header = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as QueryIndexHeader;
    if (header?.schema_name !== QUERY_INDEX_SCHEMA) return { status: 'damaged', reason: 'not a query index' };
    if (typeof header.sources !== 'object' || header.sources === null) throw new Error('no sources');
    if (header.index_version !== QUERY_INDEX_VERSION)
      return {
        status: 'stale',
        reason: `index version ${header.index_version}, expected ${QUERY_INDEX_VERSION}`,
      };
    const body = bytes.subarray(nl + 1);
    const section = ([offset, length]: ByteRange): string => {
      if (!(offset >= 0 && length >= 0 && offset + length <= body.length))
        throw new Error('section out of range');
      return body.subarray(offset, offset + length).toString('utf8');
    };
    if (!Array.isArray(JSON.parse(section(header.sections.count_rows))))
      throw new Error('count rows are not a list');
    for (const name of DIAGNOSTIC_SECTIONS) {
      const entry = header.sections.diagnostics[name];
      const { records } = parseJsonl(section(entry.range), file, 'strict');
      if (records.length !== entry.count) throw new Error(`${name} section count mismatch`);
    }
  } catch (error) {
    return { status: 'damaged', reason: (error as Error).message };
  }
  let current: string;
  try {
    current = canonicalJson(computeIndexSources(loadBatchView(store, batchId)));
  } catch (error) {
    return { status: 'stale', reason: `its batch cannot be read (${(error as Error).message})` };
  }
  return canonicalJson(header.sources) === current
    ? { status: 'fresh' }
    : { status: 'stale', reason: 'its source digests do not match the shards of the batch' };
}
