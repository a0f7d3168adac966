import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test-support/temp-dir';
import { INLINE_OUTPUT_MAX_BYTES, readOutputObject, writeOutputObject } from '../chunking';
import { initStore } from '../store';

/** An output object read back for a task or a query is checked against its digest, chunks included. */
describe('readOutputObject verifies what it reads', () => {
  it('refuses a corrupt plain object and a corrupt chunk of a chunked one', () => {
    const tmp = makeTempDir();
    try {
      const { store } = initStore(path.join(tmp.dir, 'store'));
      // Not asked to inline: an object however small.
      const plain = writeOutputObject(store.objects, 'ast', 'json', '{"small":true}', {
        threshold: 1024,
        chunkSize: 1024,
      });
      if (!('object' in plain)) throw new Error('an output not asked to inline is an object');
      const big = writeOutputObject(store.objects, 'ast', 'json', JSON.stringify({ big: 'x'.repeat(5000) }), {
        threshold: 1024,
        chunkSize: 1024,
      });
      expect(readOutputObject(store.objects, plain).toString()).toBe('{"small":true}');
      expect(big.format).toMatch(/\+chunks$/);
      expect(readOutputObject(store.objects, big).length).toBeGreaterThan(5000);

      fs.writeFileSync(store.objects.objectPath(plain.object.slice(7)), '{"small":fals}');
      expect(() => readOutputObject(store.objects, plain)).toThrow(
        expect.objectContaining({ code: 'E_OBJECT_CORRUPT' }),
      );

      if (!('object' in big)) throw new Error('a chunked output is an object');
      const manifest = JSON.parse(store.objects.readObject(big.object.slice(7)).toString('utf8'));
      const chunk = store.objects.objectPath(manifest.chunks[1].object.slice(7));
      const bytes = fs.readFileSync(chunk);
      bytes[0] = bytes[0] === 0x78 ? 0x79 : 0x78; // same length, other content
      fs.writeFileSync(chunk, bytes);
      expect(() => readOutputObject(store.objects, big)).toThrow(
        expect.objectContaining({ code: 'E_OBJECT_CORRUPT' }),
      );
    } finally {
      tmp.cleanup();
    }
  });
});

describe('writeOutputObject keeps small text in the record', () => {
  it('when asked, inlines UTF-8 text up to 4 KB and the chunk threshold, and makes an object of anything larger or binary', () => {
    const tmp = makeTempDir();
    try {
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const before = [...store.objects.listObjects()].length;
      const fits = `{"s":"${'é'.repeat(2040)}"}`; // 4088 UTF-8 bytes, 2048 UTF-16 units
      expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(INLINE_OUTPUT_MAX_BYTES);
      const inline = writeOutputObject(store.objects, 'ast', 'json', fits, undefined, true);
      expect(inline).toEqual({ inline: fits, format: 'json' });
      expect(readOutputObject(store.objects, inline).toString('utf8')).toBe(fits);
      expect([...store.objects.listObjects()].length).toBe(before);

      // 2.1k UTF-16 units but 4.2k UTF-8 bytes: over the limit, an object.
      const over = `{"s":"${'é'.repeat(2100)}"}`;
      const object = writeOutputObject(store.objects, 'ast', 'json', over, undefined, true);
      expect(object).toEqual({ object: expect.stringMatching(/^sha256:/), format: 'json' });
      expect(readOutputObject(store.objects, object).toString('utf8')).toBe(over);

      // UTF-8 bytes are kept as their text; bytes that are not UTF-8 are an object.
      expect(
        writeOutputObject(store.objects, 'ast', 'json', Buffer.from('{"b":1}'), undefined, true),
      ).toEqual({
        inline: '{"b":1}',
        format: 'json',
      });
      expect(
        writeOutputObject(store.objects, 'ast', 'bin', Buffer.from([0xff, 0xfe, 0x00]), undefined, true),
      ).toEqual({ object: expect.stringMatching(/^sha256:/), format: 'bin' });
      // Not asked: an object, however small.
      expect(writeOutputObject(store.objects, 'ast', 'json', '{}')).toHaveProperty('object');
      // A store that chunks above 100 bytes inlines nothing larger than that.
      const chunked = { threshold: 100, chunkSize: 64 };
      expect(writeOutputObject(store.objects, 'ast', 'json', 'x'.repeat(200), chunked, true).format).toBe(
        'json+chunks',
      );
      expect(writeOutputObject(store.objects, 'ast', 'json', 'x'.repeat(90), chunked, true)).toHaveProperty(
        'inline',
      );
    } finally {
      tmp.cleanup();
    }
  });
});
