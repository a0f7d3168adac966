import fs from 'node:fs';
import path from 'node:path';
import { generateJsonSchemas } from '../json-schemas';

const GOLDEN_DIR = path.resolve(__dirname, '../../../schemas');

/**
 * The published JSON Schemas (packages/core/schemas/) are generated from zod and pinned here:
 * a change to a record type shows up as a diff of these files. To accept a change on purpose:
 *   npm run build -w @codebatch/core && node packages/core/scripts/generate-schemas.js
 */
describe('generated JSON Schemas', () => {
  const generated = generateJsonSchemas();

  it.each(Object.keys(generated))('%s matches the committed golden file', (file) => {
    const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8'));
    expect(generated[file]).toEqual(golden);
  });

  it('has no committed schema file that is no longer generated', () => {
    expect(fs.readdirSync(GOLDEN_DIR).sort()).toEqual(Object.keys(generated).sort());
  });
});
