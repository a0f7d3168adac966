import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CacheService } from './cache-service';
import type { GitHubApi } from './github-api';

/** Environment variables a hosted runner sets for a JavaScript action step. */
export interface RunnerEnvOptions {
  workspace: string;
  /** Inputs by their action.yml names (`shard-index`), before the runner's INPUT_ mangling. */
  inputs?: Record<string, string>;
  eventName?: string;
  /** Written to a file and passed as GITHUB_EVENT_PATH. */
  event?: unknown;
  repository?: string;
  sha?: string;
  ref?: string;
  headRef?: string;
  baseRef?: string;
  runnerOs?: 'Linux' | 'macOS' | 'Windows';
  cache?: CacheService;
  api?: GitHubApi;
  extra?: Record<string, string>;
}

export interface RunnerEnv {
  env: NodeJS.ProcessEnv;
  runnerTemp: string;
  outputFile: string;
  summaryFile: string;
  /** Parses GITHUB_OUTPUT as the runner does (`name=value` and heredoc `name<<DELIM`). */
  readOutputs(): Record<string, string>;
  readSummary(): string;
  cleanup(): void;
}

/** The name a runner gives an input's variable: spaces to '_', upper case, '-' kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Builds a runner-like environment with its own RUNNER_TEMP, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files. Only PATH and HOME are inherited, so nothing from the developer's
 * shell (or a real runner running these tests) leaks into the action under test.
 */
export function buildRunnerEnv(options: RunnerEnvOptions): RunnerEnv {
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-runner-'));
  const outputFile = path.join(runnerTemp, '_github_output');
  const summaryFile = path.join(runnerTemp, '_step_summary');
  const eventPath = path.join(runnerTemp, '_event.json');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(eventPath, JSON.stringify(options.event ?? {}));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? runnerTemp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: options.repository ?? 'octo-org/octo-repo',
    GITHUB_REPOSITORY_OWNER: (options.repository ?? 'octo-org/octo-repo').split('/')[0],
    GITHUB_SHA: options.sha ?? '0'.repeat(40),
    GITHUB_REF: options.ref ?? 'refs/heads/main',
    GITHUB_HEAD_REF: options.headRef ?? '',
    GITHUB_BASE_REF: options.baseRef ?? '',
    GITHUB_RUN_ID: '1000001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'codebatch',
    GITHUB_ACTION: 'codebatch',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: options.runnerOs ?? 'Linux',
    RUNNER_ARCH: 'X64',
  };
  if (options.cache) {
    env.ACTIONS_CACHE_SERVICE_V2 = 'true';
    env.ACTIONS_RESULTS_URL = options.cache.url;
    env.ACTIONS_RUNTIME_TOKEN = options.cache.token;
  }
  if (options.api) env.GITHUB_API_URL = options.api.url;
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputEnvName(name)] = value;
  Object.assign(env, options.extra ?? {});
  return {
    env,
    runnerTemp,
    outputFile,
    summaryFile,
    readOutputs: () => parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
    readSummary: () => fs.readFileSync(summaryFile, 'utf8'),
    cleanup: () => fs.rmSync(runnerTemp, { recursive: true, force: true }),
  };
}

export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

export interface GitRepo {
  dir: string;
  git(...args: string[]): string;
  /** Writes the files (null deletes), commits everything, returns the new commit sha. */
  commit(files: Record<string, string | null>, message?: string): string;
  cleanup(): void;
}

/** A throwaway git repository on branch `main`, with a fixed identity and no global config. */
export function createGitRepo(files: Record<string, string> = {}): GitRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-repo-'));
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'codebatch test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'codebatch test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const commit = (changes: Record<string, string | null>, message = 'change') => {
    for (const [rel, content] of Object.entries(changes)) {
      const file = path.join(dir, rel);
      if (content === null) fs.rmSync(file, { force: true });
      else {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
    }
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  if (Object.keys(files).length > 0) commit(files, 'initial');
  return { dir, git, commit, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
