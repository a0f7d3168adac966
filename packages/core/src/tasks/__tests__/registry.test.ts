import { CodebatchError } from '../../errors/codebatch-error';
import { getTaskDefinition, TASK_DEFINITIONS } from '../registry';

describe('task registry', () => {
  it('defines the four tasks with versions, kinds and configs that accept {}', () => {
    expect(Object.keys(TASK_DEFINITIONS)).toEqual(['parse', 'analyze', 'symbols', 'lint']);
    for (const [type, definition] of Object.entries(TASK_DEFINITIONS)) {
      expect(definition.type).toBe(type);
      expect(definition.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(definition.kindsOut.length).toBeGreaterThan(0);
      expect(definition.configSchema.safeParse({}).success).toBe(true);
      expect(definition.configSchema.safeParse({ tpyo: true }).success).toBe(false);
    }
  });

  it('throws E_TASK_NOT_FOUND for an unknown type', () => {
    expect(() => getTaskDefinition('compile')).toThrow(CodebatchError);
    try {
      getTaskDefinition('compile');
    } catch (error) {
      expect((error as CodebatchError).code).toBe('E_TASK_NOT_FOUND');
      expect((error as CodebatchError).hints[0]).toContain('parse, analyze, symbols, lint');
    }
    expect(() => getTaskDefinition('toString')).toThrow(CodebatchError);
  });
});
