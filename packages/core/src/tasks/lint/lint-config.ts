import { z } from 'zod';
import {
  RULE_IDS,
  RULES,
  type RuleId,
  type RuleLevel,
  type RuleOptions,
  ruleLevelSchema,
} from './rule-catalog';

export interface ResolvedRule<R extends RuleId = RuleId> {
  severity: RuleLevel;
  options: RuleOptions<R>;
}

export type LintConfig = { rules: { [R in RuleId]: ResolvedRule<R> } };

/**
 * A rule setting is either a level (`'off'`) or `{ severity?, options? }`. The shorthand is
 * normalised before validation instead of using a union: zod reports a failed union as one
 * "Invalid input" at the rule, whereas this way an issue keeps its full path
 * (`rules.L002.options.max`).
 */
function ruleSettingSchema<R extends RuleId>(id: R) {
  const meta = RULES[id];
  return z.preprocess(
    (value) => (typeof value === 'string' ? { severity: value } : value),
    z
      .strictObject(
        {
          severity: ruleLevelSchema.default(meta.defaultSeverity),
          options: (meta.options as unknown as z.ZodType<RuleOptions<R>>).optional(),
        },
        {
          error: (issue) =>
            issue.code === 'invalid_type'
              ? `expected "off"|"info"|"warning"|"error" or { severity, options }, received ${typeof issue.input}`
              : undefined,
        },
      )
      .transform(
        (s): ResolvedRule<R> => ({ severity: s.severity, options: s.options ?? defaultOptions(id) }),
      ),
  );
}

function defaultOptions<R extends RuleId>(id: R): RuleOptions<R> {
  return RULES[id].options.parse({}) as RuleOptions<R>;
}

function defaultRule<R extends RuleId>(id: R): ResolvedRule<R> {
  return { severity: RULES[id].defaultSeverity, options: defaultOptions(id) };
}

const rulesShape = Object.fromEntries(RULE_IDS.map((id) => [id, ruleSettingSchema(id).optional()])) as {
  [R in RuleId]: z.ZodOptional<ReturnType<typeof ruleSettingSchema<R>>>;
};

/** 04_lint config: `{ rules: { L002: 'off' | 'info' | 'warning' | 'error' | { severity, options } } }`. */
export const lintConfigSchema: z.ZodType<LintConfig> = z
  .strictObject({ rules: z.strictObject(rulesShape).default({}) })
  .transform((config) => {
    const rules = {} as Record<RuleId, ResolvedRule>;
    for (const id of RULE_IDS) rules[id] = (config.rules[id] as ResolvedRule | undefined) ?? defaultRule(id);
    return { rules } as LintConfig;
  });

/** Every issue as `path: message`, all of them rather than the first (changesets style). */
export function formatConfigIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
}
