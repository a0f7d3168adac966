import { z } from 'zod';

/** Severities a rule can be configured to; `off` disables it. */
export const ruleLevelSchema = z.enum(['off', 'info', 'warning', 'error']);
export type RuleLevel = z.infer<typeof ruleLevelSchema>;
export type RuleSeverity = Exclude<RuleLevel, 'off'>;

export interface RuleMeta<O extends z.ZodType = z.ZodType> {
  id: string;
  name: string;
  description: string;
  defaultSeverity: RuleSeverity;
  /** Rule options; must accept `{}` and fill defaults. */
  options: O;
}

const noOptions = z.strictObject({});

/**
 * The published rule ids. An id, once published, keeps its meaning (users suppress by id);
 * retired rules leave a gap rather than being reused.
 */
export const RULES = {
  L001: {
    id: 'L001',
    name: 'trailing-whitespace',
    description: 'Line ends with spaces or tabs (a CRLF terminator is not whitespace).',
    defaultSeverity: 'warning',
    options: noOptions,
  },
  L002: {
    id: 'L002',
    name: 'line-too-long',
    description: 'Line is longer than `max` characters (Unicode code points).',
    defaultSeverity: 'warning',
    options: z.strictObject({ max: z.number().int().min(1).default(120) }),
  },
  L003: {
    id: 'L003',
    name: 'todo-comment',
    description: 'Line contains TODO, FIXME, XXX or HACK.',
    defaultSeverity: 'info',
    options: noOptions,
  },
  L004: {
    id: 'L004',
    name: 'tab-indentation',
    description: 'Line is indented with a tab (Makefiles and Go sources are exempt).',
    defaultSeverity: 'warning',
    options: noOptions,
  },
  L005: {
    id: 'L005',
    name: 'missing-final-newline',
    description: 'Non-empty file does not end with a newline.',
    defaultSeverity: 'warning',
    options: noOptions,
  },
  L101: {
    id: 'L101',
    name: 'unused-import',
    description: 'Imported binding is never referenced (TS/JS and Python).',
    defaultSeverity: 'warning',
    options: noOptions,
  },
  L102: {
    id: 'L102',
    name: 'unused-variable',
    description: 'Local declaration is never read (TS/JS and Python).',
    defaultSeverity: 'warning',
    options: noOptions,
  },
  L103: {
    id: 'L103',
    name: 'shadowed-variable',
    description: 'Declaration shadows a declaration of an enclosing scope.',
    defaultSeverity: 'info',
    options: noOptions,
  },
} as const satisfies Record<string, RuleMeta>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export type RuleOptions<R extends RuleId> = z.output<(typeof RULES)[R]['options']>;
