import { CodebatchError } from '../../errors/codebatch-error';
import { PIPELINE_CATALOG, TASK_CATALOG, TASK_TYPES } from '../catalog';
import { createDefaultRegistry } from '../default-registry';
import { getTaskDefinition, TASK_DEFINITIONS } from '../registry';

describe('task registry', () => {
  it('defines every catalog task with versions, kinds and configs that accept {}', () => {
    expect(Object.keys(TASK_DEFINITIONS)).toEqual(TASK_TYPES);
    expect(TASK_TYPES).toEqual(['parse', 'analyze', 'symbols', 'lint', 'eslint']);
    for (const [type, definition] of Object.entries(TASK_DEFINITIONS)) {
      expect(definition.type).toBe(type);
      expect(definition.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(definition.kindsOut.length).toBeGreaterThan(0);
      expect(definition.configSchema.safeParse({}).success).toBe(true);
      expect(definition.configSchema.safeParse({ tpyo: true }).success).toBe(false);
    }
  });

  it("the lazy default registry serves each catalog meta, and the implementation's identity matches it", () => {
    const registry = createDefaultRegistry();
    expect(registry.types()).toEqual([...TASK_TYPES].sort());
    for (const type of TASK_TYPES) {
      const lazy = registry.get(type);
      const real = TASK_DEFINITIONS[type];
      expect({ type: lazy.type, version: lazy.version, kinds: lazy.kindsOut }).toEqual({
        type: real.type,
        version: real.version,
        kinds: real.kindsOut,
      });
      // A task with an asynchronous analyser must be reachable through the lazy wrapper.
      expect(Boolean(lazy.runFiles)).toBe(Boolean(real.runFiles));
      expect(Boolean(lazy.fileKeys)).toBe(Boolean(real.fileKeys));
    }
  });

  it('pipelines name only catalog tasks, with their dependencies planned before them', () => {
    for (const [name, pipeline] of Object.entries(PIPELINE_CATALOG)) {
      const planned = [...pipeline.tasks, ...pipeline.conditional] as string[];
      for (const type of planned) {
        expect({ name, type, known: Object.hasOwn(TASK_CATALOG, type) }).toEqual({ name, type, known: true });
        for (const dep of TASK_CATALOG[type as keyof typeof TASK_CATALOG].dependsOn)
          expect(planned.indexOf(dep)).toBeLessThan(planned.indexOf(type));
      }
    }
  });

  it('throws E_TASK_NOT_FOUND for an unknown type', () => {
    expect(() => getTaskDefinition('compile')).toThrow(CodebatchError);
    try {
      getTaskDefinition('compile');
    } catch (error) {
      expect((error as CodebatchError).code).toBe('E_TASK_NOT_FOUND');
      expect((error as CodebatchError).hints[0]).toContain('parse, analyze, symbols, lint, eslint');
    }
    expect(() => getTaskDefinition('toString')).toThrow(CodebatchError);
  });
});
