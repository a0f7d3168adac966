import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test-support/temp-dir';
import { readOutputObject, writeOutputObject } from '../chunking';
import { initStore } from '../store';

/** An output object read back for a task or a query is checked against its digest, chunks included. */
describe('readOutputObject verifies what it reads', () => {
  it('refuses a corrupt plain object and a corrupt chunk of a chunked one', () => {
    const tmp = makeTempDir();
    try {
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const plain = writeOutputObject(store.objects, 'ast', 'json', '{"small":true}', {
        threshold: 1024,
        chunkSize: 1024,
      });
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
