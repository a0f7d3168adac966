import fs from 'node:fs';
import path from 'node:path';
import { renderCliReference } from '../cli-reference';

describe('docs/cli.md', () => {
  it('matches the command table (regenerate: node packages/core/scripts/generate-cli-docs.js)', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../../../../docs/cli.md'), 'utf8');
    expect(committed).toBe(renderCliReference());
  });
});
