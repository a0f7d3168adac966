import fs from 'node:fs';
import path from 'node:path';
import { resolveTaskConfigs } from '../src/batch/init-batch';
import { parseConfig } from '../src/config/load-config';
import { createDefaultRegistry } from '../src/tasks/default-registry';

const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

describe('README examples', () => {
  it('the codebatch.config.json example is a valid configuration for every task', () => {
    const block = /## Configuration[^\n]*\n+```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const config = parseConfig(JSON.parse(block!), 'README.md');
    const resolved = resolveTaskConfigs(
      ['parse', 'analyze', 'symbols', 'lint'],
      config,
      createDefaultRegistry(),
    );
    expect(
      (resolved.get('lint') as { rules: Record<string, { severity: string }> }).rules.L002!.severity,
    ).toBe('off');
    expect((resolved.get('symbols') as { calls: boolean }).calls).toBe(false);
  });

  it('names only commands that exist in the quick start', async () => {
    const { resolveCommand } = await import('../src/cli/main');
    const section = /## Quick start[^\n]*\n([\s\S]*?)\n## /.exec(readme)![1]!;
    const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const lines = blocks
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('npx codebatch '));
    expect(lines.length).toBeGreaterThanOrEqual(10);
    // It leads with the one-step command people use.
    expect(lines[0]).toMatch(/^npx codebatch check\b/);
    for (const line of lines) {
      const argv = line.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
      expect(resolveCommand(argv)).toBeDefined();
    }
  });
});
