import { PIPELINE_NAMES, type PipelineName } from '@codebatch/core';
import { z } from 'zod';
import { ActionInputError } from './errors';

/**
 * The inputs of action.yml, parsed and checked in one place. Names here are the action.yml
 * names; action.yml holds the defaults (the runner fills them in), and this module repeats
 * them so that a missing variable behaves the same as an empty one.
 */

/** The engine's pipelines, from core's PIPELINE_CATALOG (`eslint` among them): never a copy. */
export const PIPELINES = PIPELINE_NAMES as readonly PipelineName[] as readonly [
  PipelineName,
  ...PipelineName[],
];
export const MODES = ['run', 'merge'] as const;
export const ANNOTATE_MODES = ['new', 'changed-lines', 'all', 'none'] as const;
export const FAIL_ON = ['error', 'warning', 'none'] as const;

export type AnnotateMode = (typeof ANNOTATE_MODES)[number];
export type FailOn = (typeof FAIL_ON)[number];

export interface ActionInputs {
  workingDirectory: string;
  /** Globs to include (one per line); empty means everything. */
  paths: string[];
  exclude: string[];
  pipeline: PipelineName;
  configFile?: string;
  storePath: string;
  mode: (typeof MODES)[number];
  /** mode run with shard-index/shard-total: this job's matrix slice. */
  shard?: { index: number; total: number };
  /** mode merge: how many slices to restore and merge. */
  mergeSlices?: number;
  cacheKeyPrefix: string;
  annotate: AnnotateMode;
  failOn: FailOn;
  githubToken: string;
  /** Where to write SARIF, relative to RUNNER_TEMP (never the analysed tree); undefined when the input is `none`. */
  sarifFile?: string;
  /** Where to write the in-toto statement, relative to RUNNER_TEMP; undefined when the input is `none`. */
  provenanceFile?: string;
  checkName: string;
  saveCache: boolean;
}

/** Reads one input the way @actions/core does: trimmed, '' when unset. */
export type InputReader = (name: string) => string;

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) => `must be one of ${values.join(' | ')}, got ${JSON.stringify(issue.input)}`,
  });

/** '' (unset) or a whole number in min..max. */
const optionalInteger = (min: number, max: number) =>
  z.string().transform((value, ctx): number | '' => {
    if (value === '') return '';
    if (!/^\d+$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    const n = Number(value);
    if (n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: n < min ? `must be at least ${min}` : `must be at most ${max}`,
      });
      return z.NEVER;
    }
    return n;
  });

const booleanString = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(
    z.enum(['true', 'false'], {
      error: (issue) => `must be true or false, got ${JSON.stringify(issue.input)}`,
    }),
  )
  .transform((v) => v === 'true');

/** Relative paths stay inside the workspace; absolute ones are the user's explicit choice. */
const relativePath = z
  .string()
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".." segments');

const schema = z
  .object({
    'working-directory': relativePath,
    paths: z.string(),
    exclude: z.string(),
    pipeline: oneOf(PIPELINES),
    'config-file': relativePath,
    'store-path': relativePath.refine((p) => p.length > 0, 'must not be empty'),
    'shard-index': optionalInteger(0, 255),
    'shard-total': optionalInteger(1, 256),
    mode: oneOf(MODES),
    'cache-key-prefix': z
      .string()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters (cache keys are limited to 512)')
      .refine(
        (v) => !/[,\s]/.test(v),
        'must not contain commas or whitespace (the cache service refuses commas)',
      ),
    annotate: oneOf(ANNOTATE_MODES),
    'fail-on': oneOf(FAIL_ON),
    'github-token': z.string(),
    'sarif-file': relativePath,
    'provenance-file': relativePath,
    'check-name': z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    'save-cache': booleanString,
  })
  .superRefine((v, ctx) => {
    const hasIndex = v['shard-index'] !== '';
    const hasTotal = v['shard-total'] !== '';
    if (v.mode === 'run' && hasIndex !== hasTotal) {
      ctx.addIssue({
        code: 'custom',
        path: [hasIndex ? 'shard-total' : 'shard-index'],
        message: 'shard-index and shard-total go together: set both (a matrix slice) or neither',
      });
    }
    if (hasIndex && hasTotal && (v['shard-index'] as number) >= (v['shard-total'] as number)) {
      ctx.addIssue({
        code: 'custom',
        path: ['shard-index'],
        message: `must be less than shard-total (${v['shard-total']}); slices are numbered 0..${(v['shard-total'] as number) - 1}`,
      });
    }
    if (v.mode === 'merge' && !hasTotal) {
      ctx.addIssue({
        code: 'custom',
        path: ['shard-total'],
        message: 'mode: merge needs shard-total (how many slices to restore and merge)',
      });
    }
    if (v.mode === 'merge' && hasIndex) {
      ctx.addIssue({
        code: 'custom',
        path: ['shard-index'],
        message: 'mode: merge merges every slice: leave shard-index unset',
      });
    }
  });

/** The defaults of action.yml. */
export const INPUT_DEFAULTS: Record<keyof z.input<typeof schema>, string> = {
  'working-directory': '.',
  paths: '',
  exclude: '',
  pipeline: 'full',
  'config-file': '',
  'store-path': '.codebatch',
  'shard-index': '',
  'shard-total': '',
  mode: 'run',
  'cache-key-prefix': 'codebatch-v1',
  annotate: 'new',
  'fail-on': 'error',
  'github-token': '',
  'sarif-file': 'codebatch.sarif',
  'provenance-file': 'codebatch.intoto.json',
  'check-name': 'codebatch',
  'save-cache': 'true',
};

/**
 * Parses and checks every input, reporting all problems at once.
 *
 * @param read returns an input's trimmed value, '' when unset (`core.getInput`)
 * @returns the typed inputs
 * @throws ActionInputError listing each problem as `input-name: message`
 */
export function parseInputs(read: InputReader): ActionInputs {
  const raw = Object.fromEntries(
    Object.entries(INPUT_DEFAULTS).map(([name, fallback]) => {
      const value = read(name).trim();
      return [name, value === '' ? fallback : value];
    }),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ActionInputError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'inputs'}: ${issue.message}`),
    );
  }
  const v = parsed.data;
  const total = v['shard-total'] === '' ? undefined : v['shard-total'];
  const index = v['shard-index'] === '' ? undefined : v['shard-index'];
  return {
    workingDirectory: v['working-directory'],
    paths: splitList(v.paths),
    exclude: splitList(v.exclude),
    pipeline: v.pipeline,
    configFile: v['config-file'] || undefined,
    storePath: v['store-path'],
    mode: v.mode,
    shard: v.mode === 'run' && total !== undefined && index !== undefined ? { index, total } : undefined,
    mergeSlices: v.mode === 'merge' ? total : undefined,
    cacheKeyPrefix: v['cache-key-prefix'],
    annotate: v.annotate,
    failOn: v['fail-on'],
    githubToken: v['github-token'],
    sarifFile: v['sarif-file'] === 'none' ? undefined : v['sarif-file'],
    provenanceFile: v['provenance-file'] === 'none' ? undefined : v['provenance-file'],
    checkName: v['check-name'],
    saveCache: v['save-cache'],
  };
}

/** One entry per line or comma, blank lines and `#` comments dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
}
