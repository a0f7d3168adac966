import fs from 'node:fs';
import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';

export interface JsonlReadResult<T> {
  records: T[];
  /** Lines skipped in lenient mode (a torn tail or a damaged line in an append-only log). */
  skipped: number;
}

export interface JsonlReadOptions {
  missingOk?: boolean;
  /**
   * strict (indexes, which are replaced atomically and so can never be torn): any malformed or
   * unterminated line is corruption, E_INDEX_CORRUPT. lenient (events.jsonl, append-only logs
   * that a killed writer may leave torn): such lines are skipped and counted.
   */
  mode?: 'strict' | 'lenient';
}

export function readJsonl<T = unknown>(file: string, options: JsonlReadOptions = {}): JsonlReadResult<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.missingOk)
      return { records: [], skipped: 0 };
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CodebatchError('E_NOT_FOUND', `${file} does not exist`, { details: { file } });
    }
    throw toCodebatchError(error, `reading ${file}`);
  }
  return parseJsonl<T>(text, file, options.mode ?? 'strict');
}

/**
 * `input` may be the bytes themselves: each line is then decoded on its own, and the whole is
 * never one string (a parse shard's index at 100k files is about 150 MB; the runner's own
 * reader of committed indexes, run/record-text.ts, decodes per line for the same reason).
 */
export function parseJsonl<T = unknown>(
  input: string | Buffer,
  file = '<input>',
  mode: 'strict' | 'lenient' = 'strict',
): JsonlReadResult<T> {
  const records: T[] = [];
  const bytes = typeof input === 'string' ? undefined : input;
  const text = typeof input === 'string' ? input : undefined;
  let skipped = 0;
  let start = 0;
  let lineNo = 0;
  while (start < input.length) {
    let end = bytes ? bytes.indexOf(NEWLINE_BYTE, start) : text!.indexOf('\n', start);
    lineNo += 1;
    const torn = end === -1;
    if (torn) end = input.length;
    const empty = end === start;
    const line = empty ? '' : bytes ? bytes.toString('utf8', start, end) : text!.slice(start, end);
    start = end + 1;
    if (empty) continue;
    let parsed: T | undefined;
    let ok = !torn;
    if (ok) {
      try {
        parsed = JSON.parse(line) as T;
      } catch {
        ok = false;
      }
    }
    if (ok) {
      records.push(parsed as T);
      continue;
    }
    if (mode === 'lenient') {
      skipped += 1;
      continue;
    }
    throw new CodebatchError(
      'E_INDEX_CORRUPT',
      `${file}:${lineNo}: ${torn ? 'truncated' : 'malformed'} JSON line in an index`,
      {
        hints: [
          'The index was edited or damaged. Re-run the affected shard with --force to rewrite it, or run `codebatch verify`.',
        ],
        details: { file, line: lineNo },
      },
    );
  }
  return { records, skipped };
}

/**
 * A strict parseJsonl of only the lines holding `select`, on the bytes: those lines are found by
 * native search and only they are decoded and parsed, so an index is never turned into one string
 * (a 100k-file batch's indexes hold about a gigabyte). Safe only as a superset filter (every
 * wanted record's line holds `select`) and only on bytes checked against a digest, since the lines
 * passed over are not validated; a missing final newline is still refused.
 */
export function parseSelectedLines<T = unknown>(bytes: Buffer, select: string, file = '<input>'): T[] {
  if (bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE_BYTE) {
    throw corruptIndex(file, 'truncated JSON line in an index (no final newline)');
  }
  const needle = Buffer.from(select, 'utf8');
  const records: T[] = [];
  // Adjacent selected lines are parsed together, as one JSON array: one native call instead of
  // one per line (a lint index is mostly diagnostics; reporting 12.5k of them parsed them one by
  // one). The array must hold exactly one value per line, else each line of the run is parsed
  // alone, which names the malformed one.
  let runStart = -1;
  let runEnd = -1;
  let runLines = 0;
  const flush = () => {
    if (runLines === 0) return;
    if (runLines > 1) {
      let values: unknown;
      try {
        values = JSON.parse(`[${bytes.toString('utf8', runStart, runEnd).replaceAll('\n', ',')}]`);
      } catch {
        values = undefined;
      }
      if (Array.isArray(values) && values.length === runLines) {
        for (const v of values) records.push(v as T);
        runLines = 0;
        return;
      }
    }
    for (let start = runStart; start < runEnd; ) {
      const end = bytes.indexOf(NEWLINE_BYTE, start);
      try {
        records.push(JSON.parse(bytes.toString('utf8', start, end)) as T);
      } catch {
        throw corruptIndex(file, `malformed JSON line in an index at byte ${start}`);
      }
      start = end + 1;
    }
    runLines = 0;
  };
  for (let at = bytes.indexOf(needle); at !== -1; ) {
    const start = bytes.lastIndexOf(NEWLINE_BYTE, at) + 1;
    const end = bytes.indexOf(NEWLINE_BYTE, at);
    if (runLines > 0 && start === runEnd + 1) {
      runEnd = end;
      runLines += 1;
    } else {
      flush();
      runStart = start;
      runEnd = end;
      runLines = 1;
    }
    at = bytes.indexOf(needle, end + 1);
  }
  flush();
  return records;
}

const NEWLINE_BYTE = 0x0a;

function corruptIndex(file: string, what: string): CodebatchError {
  return new CodebatchError('E_INDEX_CORRUPT', `${file}: ${what}`, {
    hints: [
      'The index was edited or damaged. Re-run the affected shard with --force to rewrite it, or run `codebatch verify`.',
    ],
    details: { file },
  });
}

/** Serializes records as JSONL (one JSON object per line, each terminated by \n). */
export function toJsonl(records: readonly unknown[]): string {
  let out = '';
  for (const r of records) out += `${JSON.stringify(r)}\n`;
  return out;
}

/**
 * Appends whole lines with one write(2) on an O_APPEND descriptor: concurrent appenders never
 * interleave within a line (for writes below PIPE_BUF on local filesystems, and our lines are
 * written in one call regardless). If a previous writer died mid-line, the torn tail is
 * terminated first so the new record starts on its own line.
 */
export function appendJsonl(file: string, records: readonly unknown[]): void {
  if (records.length === 0) return;
  try {
    const fd = fs.openSync(file, 'a+');
    try {
      const size = fs.fstatSync(fd).size;
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        fs.readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      fs.writeSync(fd, prefix + toJsonl(records));
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw toCodebatchError(error, `appending to ${file}`);
  }
}
