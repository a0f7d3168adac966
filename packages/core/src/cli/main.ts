import path from 'node:path';
import { parseArgs } from 'node:util';
import { CodebatchError, isCodebatchError, toCodebatchError } from '../errors/codebatch-error';
import { openStore } from '../store/store';
import { ENGINE_VERSION } from '../version';
import type { CommandContext, CommandSpec, OptionSpec } from './command';
import { formatErrorHuman, formatJson } from './output';
import { COMMANDS } from './registry';
import { createProcessWriter } from './stdio';

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  store: {
    type: 'string',
    description: 'Store directory (default: $CODEBATCH_STORE or .codebatch)',
    valueName: 'dir',
  },
  json: { type: 'boolean', description: 'Machine-readable JSON on stdout (errors as an error envelope)' },
  quiet: { type: 'boolean', short: 'q', description: 'Print only results and errors' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
};

export interface MainIo {
  argv: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  isTty?: boolean;
}

/** Finds the command whose words (or alias) are the longest prefix of argv. */
export function resolveCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: { spec: CommandSpec; rest: string[]; words: number } | undefined;
  for (const spec of COMMANDS) {
    for (const name of [spec.name, ...(spec.aliases ?? [])]) {
      const words = name.split(' ');
      if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.words)) {
        best = { spec, rest: argv.slice(words.length), words: words.length };
      }
    }
  }
  return best && { spec: best.spec, rest: best.rest };
}

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function main(io: MainIo): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => process.stderr.write(t));
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const wantsJson = io.argv.includes('--json');
  try {
    if (io.argv.length === 0 || io.argv[0] === '--help' || io.argv[0] === '-h' || io.argv[0] === 'help') {
      stdout(formatGeneralHelp());
      return 0;
    }
    if (io.argv[0] === '--version' || io.argv[0] === '-V') {
      stdout(`${ENGINE_VERSION}\n`);
      return 0;
    }
    const resolved = resolveCommand(io.argv);
    if (!resolved) {
      throw new CodebatchError('E_USAGE', `unknown command: ${io.argv.slice(0, 2).join(' ')}`, {
        hints: ['Run `codebatch --help` for the list of commands.'],
      });
    }
    const { spec, rest } = resolved;
    const optionSpecs = { ...GLOBAL_OPTIONS, ...(spec.options ?? {}) };
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: Object.fromEntries(
          Object.entries(optionSpecs).map(([k, o]) => {
            const def: { type: 'string' | 'boolean'; multiple?: boolean; short?: string } = { type: o.type };
            if ('multiple' in o && o.multiple) def.multiple = true;
            if (o.short) def.short = o.short;
            return [k, def];
          }),
        ) as Parameters<typeof parseArgs>[0] extends infer P
          ? P extends { options?: infer O }
            ? O
            : never
          : never,
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new CodebatchError('E_USAGE', `${spec.name}: ${(error as Error).message}`, {
        hints: [`Run \`codebatch ${spec.name} --help\`.`],
      });
    }
    const values = parsed.values as CommandContext['values'];
    if (values.help) {
      stdout(formatCommandHelp(spec));
      return 0;
    }
    const required = (spec.positionals ?? []).filter((p) => p.required);
    if (parsed.positionals.length < required.length) {
      throw new CodebatchError(
        'E_USAGE',
        `${spec.name}: missing <${required[parsed.positionals.length]!.name}>`,
        {
          hints: [`Usage: ${usageLine(spec)}`],
        },
      );
    }
    if (parsed.positionals.length > (spec.positionals ?? []).length) {
      throw new CodebatchError(
        'E_USAGE',
        `${spec.name}: unexpected argument ${JSON.stringify(parsed.positionals.at(-1))}`,
        {
          hints: [`Usage: ${usageLine(spec)}`],
        },
      );
    }
    for (const [name, o] of Object.entries(optionSpecs)) {
      if (values[name] === undefined && 'default' in o && o.default !== undefined) values[name] = o.default;
    }
    const storeDir = path.resolve(
      cwd,
      (values.store as string | undefined) ?? env.CODEBATCH_STORE ?? '.codebatch',
    );
    const ctx: CommandContext = {
      values,
      positionals: parsed.positionals,
      json: values.json === true,
      quiet: values.quiet === true,
      storeDir,
      openStore: () => openStore(storeDir),
      cwd,
      stdout,
      stderr,
      isTty: io.isTty ?? Boolean(process.stderr.isTTY),
      commands: COMMANDS,
    };
    return await spec.run(ctx);
  } catch (error) {
    const cbError = isCodebatchError(error) ? error : toCodebatchError(error, 'unexpected failure');
    if (wantsJson) stdout(formatJson(cbError.toEnvelope()));
    else stderr(formatErrorHuman(cbError));
    if (cbError.code === 'E_INTERNAL' && env.CODEBATCH_DEBUG) stderr(`${(error as Error).stack ?? ''}\n`);
    return cbError.exitCode;
  }
}

function usageLine(spec: CommandSpec): string {
  const pos = (spec.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)).join(' ');
  return `codebatch ${spec.name}${pos ? ` ${pos}` : ''} [options]`;
}

export function formatCommandHelp(spec: CommandSpec): string {
  let out = `${usageLine(spec)}\n\n${spec.summary}\n`;
  if (spec.positionals?.length) {
    out += '\nArguments:\n';
    for (const p of spec.positionals) out += `  ${p.name.padEnd(22)} ${p.description}\n`;
  }
  const all = { ...(spec.options ?? {}), ...GLOBAL_OPTIONS };
  out += '\nOptions:\n';
  for (const [name, o] of Object.entries(all)) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` <${'valueName' in o && o.valueName ? o.valueName : 'value'}>` : ''}`;
    const def =
      'default' in o && o.default !== undefined && o.default !== false
        ? ` (default: ${String(o.default)})`
        : '';
    out += `  ${flag.padEnd(30)} ${o.description}${'multiple' in o && o.multiple ? ' (repeatable)' : ''}${def}\n`;
  }
  return out;
}

export function formatGeneralHelp(): string {
  let out = `codebatch ${ENGINE_VERSION}: content-addressed batch execution for code analysis\n\nUsage: codebatch <command> [options]\n`;
  const groups = new Map<string, CommandSpec[]>();
  for (const c of COMMANDS) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  for (const [group, specs] of groups) {
    out += `\n${group}:\n`;
    for (const s of specs) out += `  ${s.name.padEnd(24)} ${s.summary}\n`;
  }
  out +=
    '\nGlobal options: --store <dir>, --json, --quiet, --help. Exit codes: 0 ok, 1 findings or failed run, 2 usage or input error.\n';
  return out;
}

/** Entry point for bin/codebatch.js. */
export function runMain(): void {
  const stderr = createProcessWriter(process.stderr, 'stderr');
  const stdout = createProcessWriter(process.stdout, 'stdout', (error) => {
    // Output went missing (say a full disk behind `> file`): a success must not be claimed.
    stderr.write(formatErrorHuman(error));
    if (!process.exitCode) process.exitCode = error.exitCode;
  });
  main({ argv: process.argv.slice(2), stdout: stdout.write, stderr: stderr.write }).then(
    (code) => {
      process.exitCode = code === 0 && stdout.failure ? stdout.failure.exitCode : code;
    },
    (error) => {
      stderr.write(`error[E_INTERNAL]: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
