import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test-support/temp-dir';
import { sha256Hex } from '../../util/hash';
import { writeFileAtomic } from '../atomic-write';
import { parseJsonl } from '../jsonl';
import { readIndexFile } from '../read-index-file';

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
    expect(readIndexFile(file)).toEqual({ bytes: Buffer.from('b\n'), hex: sha256Hex(Buffer.from('b\n')) });
    // A different size read through the same inode is never paired with the old digest.
    fs.appendFileSync(file, 'c\n');
    expect(readIndexFile(file)!.hex).toBe(sha256Hex(Buffer.from('b\nc\n')));
    cleanup();
  });
});

describe('parseJsonl select', () => {
  it('parses only the lines holding the selected text and still refuses a torn tail', () => {
    const text = '{"kind":"ast"}\n{"kind":"diagnostic","n":1}\n{"kind": "diagnostic"}\n';
    expect(parseJsonl(text, 'f', 'strict', '"diagnostic"').records).toEqual([
      { kind: 'diagnostic', n: 1 },
      { kind: 'diagnostic' },
    ]);
    expect(() => parseJsonl('{"kind":"ast"}\n{"kind":"a', 'f', 'strict', '"diagnostic"')).toThrow(
      /truncated/,
    );
  });
});
