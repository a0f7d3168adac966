import { CodebatchError } from '../errors/codebatch-error';
import type { Store } from '../store/store';

export type OptionSpec =
  | {
      type: 'string';
      description: string;
      multiple?: false;
      short?: string;
      default?: string;
      valueName?: string;
    }
  | {
      type: 'string';
      description: string;
      multiple: true;
      short?: string;
      default?: string[];
      valueName?: string;
    }
  | { type: 'boolean'; description: string; short?: string; default?: boolean };

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  json: boolean;
  quiet: boolean;
  /** Resolved --store (absolute); the store is opened only by commands that need it. */
  storeDir: string;
  openStore(): Store;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** true when stderr is a terminal (progress bars, colours). */
  isTty: boolean;
  /** Every command of this CLI (`codebatch api` lists them): given, so no command imports the registry. */
  commands: readonly CommandSpec[];
}

/**
 * A CLI command as data: the dispatcher, `--help`, and `codebatch api` (the machine-readable
 * capability listing) are all generated from these fields.
 */
export interface CommandSpec {
  /** Words typed after `codebatch`, e.g. `query diagnostics`. */
  name: string;
  /** Extra spellings accepted, e.g. `snapshot-list` for `snapshot list`. */
  aliases?: string[];
  summary: string;
  group: 'store' | 'snapshot' | 'batch' | 'run' | 'query' | 'provenance' | 'meta';
  since: string;
  readOnly: boolean;
  requiresStore: boolean;
  requiresBatch?: boolean;
  positionals?: PositionalSpec[];
  options?: Record<string, OptionSpec>;
  /** Returns the process exit code: 0 ok, 1 findings or failed run, 2 usage/input error. */
  run(ctx: CommandContext): number | Promise<number>;
}

/** Reads a string option, undefined when absent. */
export function stringOpt(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOpt(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}

export function boolOpt(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true;
}

/** `--batch <id>`, declared once so help text reads the same on every command. */
export const BATCH_OPTION: OptionSpec = { type: 'string', description: 'Batch id', valueName: 'id' };

/** The `--batch <id>` every batch command needs, or a usage error with a hint. */
export function requireBatch(ctx: CommandContext): string {
  const batchId = stringOpt(ctx, 'batch');
  if (batchId === undefined) {
    throw new CodebatchError('E_USAGE', 'this command needs --batch <id>', {
      hints: ['List batches with `codebatch batch list`.'],
    });
  }
  return batchId;
}
