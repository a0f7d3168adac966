import fs from 'node:fs';
import type { OutputRecord } from '../../schemas/output-record';
import { parseJsonl } from '../../store/jsonl';
import { canonicalJson } from '../../util/canonical-json';
import type { BatchView } from '../batch-view';
import { sortOutputs } from '../output-order';
import {
  type CountRow,
  type CountTuple,
  fromCountTuple,
  fromTotalTuple,
  type TotalRow,
} from '../tally-outputs';
import { computeIndexSources } from './index-sources';
import {
  type ByteRange,
  DIAGNOSTIC_SECTIONS,
  type DiagnosticSection,
  QUERY_INDEX_SCHEMA,
  QUERY_INDEX_VERSION,
  type QueryIndexHeader,
  queryIndexFile,
} from './query-index-file';

export interface QueryIndexWant {
  countRows?: boolean;
  /** Diagnostics of one severity, or `all`. */
  diagnostics?: string;
}

export interface QueryIndexContent {
  totals: TotalRow[];
  countRows?: CountRow[];
  /** Canonical order. */
  diagnostics?: OutputRecord[];
}

const HEADER_CHUNK = 256 * 1024;

/**
 * Reads the sections `want` names from the batch's acceleration index when it exists and is
 * fresh; otherwise undefined, and the caller scans. Absent, stale, damaged or unknown-version
 * files all mean "scan": the index is never required for correctness (SPEC invariant 6), so
 * nothing here raises. Header and sections are read through one descriptor, so an index
 * rebuilt (renamed over) meanwhile cannot mix one file's header with another's sections.
 */
export function readFreshQueryIndex(
  view: BatchView,
  want: QueryIndexWant = {},
): QueryIndexContent | undefined {
  let fd: number;
  try {
    fd = fs.openSync(queryIndexFile(view.store, view.batchId), 'r');
  } catch {
    return undefined;
  }
  try {
    const read = readHeader(fd);
    if (!read) return undefined;
    const [header, bodyStart] = read;
    if (header.schema_name !== QUERY_INDEX_SCHEMA || header.index_version !== QUERY_INDEX_VERSION)
      return undefined;
    if (canonicalJson(header.sources) !== canonicalJson(computeIndexSources(view))) return undefined;
    const content: QueryIndexContent = { totals: header.totals.map(fromTotalTuple) };
    const readRange = ([offset, length]: ByteRange): string => {
      const buf = Buffer.alloc(length);
      if (fs.readSync(fd, buf, 0, length, bodyStart + offset) !== length) throw new Error('short read');
      return buf.toString('utf8');
    };
    const readSection = (section: DiagnosticSection): OutputRecord[] => {
      const entry = header.sections.diagnostics[section];
      const { records } = parseJsonl<OutputRecord>(readRange(entry.range), 'query index', 'strict');
      if (records.length !== entry.count) throw new Error('section count mismatch');
      return records;
    };
    if (want.countRows) {
      content.countRows = (JSON.parse(readRange(header.sections.count_rows)) as CountTuple[]).map(
        fromCountTuple,
      );
    }
    if (want.diagnostics === 'all') {
      // Each section is sorted; the merged list takes the one canonical order again.
      content.diagnostics = sortOutputs(DIAGNOSTIC_SECTIONS.flatMap((s) => readSection(s)));
    } else if (want.diagnostics !== undefined) {
      const section = DIAGNOSTIC_SECTIONS.find((s) => s === want.diagnostics && s !== 'other');
      content.diagnostics = section ? readSection(section) : [];
    }
    return content;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads up to the first newline; returns the parsed header and where the body starts. */
function readHeader(fd: number): [QueryIndexHeader, number] | undefined {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const buf = Buffer.alloc(HEADER_CHUNK);
    const n = fs.readSync(fd, buf, 0, HEADER_CHUNK, position);
    if (n === 0) return undefined;
    const nl = buf.subarray(0, n).indexOf(0x0a);
    if (nl >= 0) {
      chunks.push(buf.subarray(0, nl));
      const headerBytes = Buffer.concat(chunks);
      return [JSON.parse(headerBytes.toString('utf8')) as QueryIndexHeader, headerBytes.length + 1];
    }
    chunks.push(buf.subarray(0, n));
    position += n;
  }
}
