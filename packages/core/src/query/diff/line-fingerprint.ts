import type { OutputRecord } from '../../schemas/output-record';
import type { FilesIndexRecord } from '../../schemas/snapshot-record';
import type { Store } from '../../store/store';
import { parseObjectRef } from '../../util/hash';
import { readFilesByPath } from '../files-index';

/**
 * Fingerprint of the line a record points at: that line's text from the snapshot, whitespace
 * normalized (trimmed, runs collapsed to one space). Keying diagnostics by this instead of by
 * line number is what lets a diff survive edits elsewhere in a file: insert a blank line at
 * the top and every diagnostic keeps its fingerprint, while `import a` and `import b` never
 * match each other. Trailing-whitespace and indentation-only edits keep the fingerprint too,
 * which is what a reviewer expects ("same line, still flagged").
 *
 * Records without a line, or pointing past the end of the file, get the empty fingerprint
 * (a file-level finding).
 */
export function createLineFingerprinter(
  store: Store,
  snapshotId: string,
  /**
   * Lines by object, shareable by the fingerprinters of both sides of a diff: objects are
   * content-addressed, and most files are the same in both snapshots.
   */
  linesByObject: Map<string, string[]> = new Map(),
  /** The snapshot's files by path, when the caller has read them already. */
  given?: Map<string, FilesIndexRecord>,
): (record: OutputRecord) => string {
  // Read on first use: a diff of shards without positioned records needs no files index.
  let files = given;
  const linesOf = (path: string): string[] => {
    files ??= readFilesByPath(store, snapshotId);
    const entry = files.get(path);
    const hex = entry ? parseObjectRef(entry.object) : undefined;
    if (!entry || !hex || entry.text === false) return [];
    let lines = linesByObject.get(hex);
    if (!lines) {
      lines = store.objects.readObject(hex).toString('utf8').split('\n');
      linesByObject.set(hex, lines);
    }
    return lines;
  };
  return (record) => {
    if (record.line === undefined) return '';
    const text = linesOf(record.path)[record.line - 1];
    return text === undefined ? '' : normalizeLine(text);
  };
}

export function normalizeLine(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
