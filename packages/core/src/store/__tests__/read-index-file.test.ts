import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test-support/temp-dir';
import { sha256Hex } from '../../util/hash';
import { writeFileAtomic } from '../atomic-write';
import { parseSelectedLines } from '../jsonl';
import { readIndexFile, rememberIndexDigest } from '../read-index-file';

describe('readIndexFile', () => {
  it('gives the bytes and their digest, and a fresh digest after the file is replaced', () => {
    const { dir, cleanup } = makeTempDir();
    const file = path.join(dir, 'outputs.index.jsonl');
    expect(readIndexFile(file)).toBeUndefined();
    writeFileAtomic(file, 'a\n');
    const first = readIndexFile(file)!;
    expect(first.hex).toBe(sha256Hex(Buffer.from('a\n')));
    expect(readIndexFile(file)!.hex).toBe(first.hex);
    // Same size, replaced by rename as every index is: the remembered digest must not be reused.
    writeFileAtomic(file, 'b\n');
    expect(readIndexFile(file)).toMatchObject({
      bytes: Buffer.from('b\n'),
      hex: sha256Hex(Buffer.from('b\n')),
    });
    // A different size read through the same inode is never paired with the old digest.
    fs.appendFileSync(file, 'c\n');
    expect(readIndexFile(file)!.hex).toBe(sha256Hex(Buffer.from('b\nc\n')));
    cleanup();
  });
});

describe('rememberIndexDigest', () => {
  it('serves the digest of an index this process wrote, until the file is replaced', () => {
    const { dir, cleanup } = makeTempDir();
    const file = path.join(dir, 'outputs.index.jsonl');
    writeFileAtomic(file, 'a\n');
    // A digest no hash of these bytes gives: read back, it shows the remembered one was served.
    rememberIndexDigest(file, 'f'.repeat(64));
    expect(readIndexFile(file)).toMatchObject({ bytes: Buffer.from('a\n'), hex: 'f'.repeat(64) });
    writeFileAtomic(file, 'a\n');
    expect(readIndexFile(file)!.hex).toBe(sha256Hex(Buffer.from('a\n')));
    rememberIndexDigest(path.join(dir, 'absent.jsonl'), 'f'.repeat(64));
    expect(readIndexFile(path.join(dir, 'absent.jsonl'))).toBeUndefined();
    cleanup();
  });
});

describe('parseSelectedLines', () => {
  it('parses only the lines holding the selected text, however spaced, and refuses a torn tail', () => {
    const text = '{"kind":"ast"}\n{"kind":"diagnostic","n":1}\n{"kind": "diagnostic"}\n{"kind":"edge"}\n';
    expect(parseSelectedLines(Buffer.from(text), '"diagnostic"')).toEqual([
      { kind: 'diagnostic', n: 1 },
      { kind: 'diagnostic' },
    ]);
    expect(parseSelectedLines(Buffer.from('{"a":"diagnostic","b":"diagnostic"}\n'), '"diagnostic"')).toEqual([
      { a: 'diagnostic', b: 'diagnostic' },
    ]);
    expect(() => parseSelectedLines(Buffer.from('{"kind":"ast"}\n{"kind":"a'), '"diagnostic"')).toThrow(
      /truncated/,
    );
    expect(() => parseSelectedLines(Buffer.from('{"kind":"diagnostic"\n'), '"diagnostic"')).toThrow(
      /malformed/,
    );
  });

  it('gives the same records for runs of adjacent lines, and still names a malformed line in a run', () => {
    const lines = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ kind: i % 7 === 3 ? 'ast' : 'diagnostic', n: i, message: `a "quoted", line\n${i}` }),
    );
    const text = `${lines.join('\n')}\n`;
    const oneByOne = lines.filter((l) => l.includes('"diagnostic"')).map((l) => JSON.parse(l));
    expect(parseSelectedLines(Buffer.from(text), '"diagnostic"')).toEqual(oneByOne);
    // Two values on one line of a run: an array of the right shape but the wrong length.
    const doubled = `${lines[0]}\n${lines[1]},${lines[2]}\n${lines[4]}\n`;
    expect(() => parseSelectedLines(Buffer.from(doubled), '"diagnostic"')).toThrow(
      /malformed JSON line in an index at byte/,
    );
    const broken = `${lines[0]}\n{"kind":"diagnostic",\n${lines[1]}\n`;
    expect(() => parseSelectedLines(Buffer.from(broken), '"diagnostic"')).toThrow(
      new RegExp(`at byte ${lines[0]!.length + 1}`),
    );
  });
});
