import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { analyze } from '../../api/analyze';
import { lintConfigSchema } from '../../tasks/lint/lint-config';
import { WARM_UP_FILE, warmUpLint } from '../../tasks/lint/lint-warmup';
import { RULE_IDS } from '../../tasks/lint/rule-catalog';
import { checkTextRules } from '../../tasks/lint/text-rules';
import { checkTypeScriptRules } from '../../tasks/lint/ts-rules';
import { parseTypeScript } from '../../tasks/shared/ts-tree';
import { warmUpTypeScriptParser } from '../../tasks/shared/ts-warmup';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';

describe('task warm-up', () => {
  it('runs before a shard with many files to execute, never before the few files of an edit', async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      const files: Record<string, string> = {};
      for (let i = 0; i < 400; i += 1) files[`m${i}.ts`] = `export const v${i} = ${i};\n`;
      writeTree(src, files);
      // Two shards of about 200 files: past the warm-up threshold.
      const configPath = path.join(tmp.dir, 'codebatch.config.json');
      fs.writeFileSync(configPath, JSON.stringify({ shards: 2 }));
      const base = createTestRegistry();
      const warmUp = jest.fn();
      const options = {
        storeDir: path.join(tmp.dir, 'store'),
        sourceDir: src,
        pipeline: 'lint' as const,
        parallel: 1,
        configPath,
        registry: createTestRegistry({ parse: { ...base.get('parse'), warmUp } as never }),
      };
      const cold = await analyze(options);
      expect(cold.taskFiles.executed).toBeGreaterThanOrEqual(400);
      expect(warmUp).toHaveBeenCalled();

      warmUp.mockClear();
      fs.appendFileSync(path.join(src, 'm7.ts'), 'export const edited = 1;\n');
      const edit = await analyze(options);
      expect(edit.taskFiles.executed).toBeGreaterThan(0);
      expect(warmUp).not.toHaveBeenCalled();
    } finally {
      tmp.cleanup();
    }
  });

  it('parses its TypeScript warm-up source as TSX, TS and JS without throwing, once per thread', () => {
    const parsed = warmUpTypeScriptParser();
    expect(parsed.map((sf) => sf.languageVariant)).toEqual([
      ts.LanguageVariant.JSX,
      ts.LanguageVariant.Standard,
      ts.LanguageVariant.JSX,
    ]);
    for (const sf of parsed) expect(sf.statements.length).toBeGreaterThan(50);
    expect(warmUpTypeScriptParser()).toEqual([]);
  });

  it("lints a file that breaks every lint rule, so each rule's code has run before a long run", () => {
    const config = lintConfigSchema.parse({});
    const findings = checkTextRules('warm-up.ts', WARM_UP_FILE, config);
    findings.push(...checkTypeScriptRules(parseTypeScript('warm-up.ts', WARM_UP_FILE), 'warm-up.ts', config));
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(RULE_IDS));
    expect(() => warmUpLint()).not.toThrow();
  });
});
