import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ancestorIgnoreExcludes, translateIgnoreRules } from '../shared/ancestor-ignores';

describe('translateIgnoreRules', () => {
  it('keeps unanchored rules as name globs that apply at any depth', () => {
    expect(translateIgnoreRules('node_modules/\ndist/\n*.tsbuildinfo\n', ['packages', 'core'])).toEqual([
      'node_modules',
      'dist',
      '*.tsbuildinfo',
    ]);
  });

  it('rebases anchored rules onto the project root, and drops those about other folders', () => {
    const rules = '/packages/core/generated/\npackages/*/build\n/coverage/\npackages/other/x\n';
    expect(translateIgnoreRules(rules, ['packages', 'core'])).toEqual(['generated', 'build']);
  });

  it('keeps what follows ** in an anchored rule', () => {
    expect(translateIgnoreRules('**/tmp\npackages/**/out/\n', ['packages', 'core'])).toEqual([
      '**/tmp',
      '**/out',
    ]);
  });

  it('skips comments, blank lines, negations and rules naming the project or a folder above it', () => {
    expect(
      translateIgnoreRules('# c\n\n!dist/keep\n/packages/\npackages/core\n', ['packages', 'core']),
    ).toEqual([]);
  });
});

describe('ancestorIgnoreExcludes', () => {
  let ws: string;
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-nx-ign-'));
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('reads .gitignore and .nxignore at the root and .gitignore files between root and project', () => {
    fs.mkdirSync(path.join(ws, 'packages/core'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.gitignore'), 'dist/\n');
    fs.writeFileSync(path.join(ws, '.nxignore'), 'packages/core/fixtures\n');
    fs.writeFileSync(path.join(ws, 'packages/.gitignore'), '*.log\n');
    // The project's own .gitignore is the engine's to read.
    fs.writeFileSync(path.join(ws, 'packages/core/.gitignore'), 'own/\n');
    expect(ancestorIgnoreExcludes(ws, 'packages/core')).toEqual(['*.log', 'dist', 'fixtures']);
  });

  it('has nothing to add for a root project', () => {
    fs.writeFileSync(path.join(ws, '.gitignore'), 'dist/\n');
    expect(ancestorIgnoreExcludes(ws, '.')).toEqual([]);
  });
});
