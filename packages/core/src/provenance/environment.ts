import os from 'node:os';
import path from 'node:path';
import { readGitInfo } from '../snapshot/git-info';
import { readToolchain, type Toolchain } from '../tasks/shared/toolchain';
import { nowIso } from '../util/time';
import { ENGINE_NAME, ENGINE_VERSION, runtimeMajor } from '../version';

/** Runtime facts of one run (seed 001 ProvenanceMetadata). Never part of a bundle hash. */
export interface EnvironmentInfo {
  captured_at: string;
  host: string;
  platform: string;
  arch: string;
  os_release: string;
  node_version: string;
  runtime: string;
  engine: { name: string; version: string };
  /** Task type -> implementation version, when known (from the batch's task records). */
  tasks?: Record<string, string>;
  git?: { commit?: string; dirty?: boolean };
  ci?: { provider: string; run_id?: string };
  /** Parser versions and grammar hashes the built-in tasks key on (tasks/shared/toolchain.ts). */
  toolchain?: Toolchain;
}

/**
 * Captures host, platform, Node, engine and task versions, and the git commit and dirty
 * state of the analysed tree (`sourceDir`). `git.dirty` spawns one `git status`; pass
 * `{ dirty: false }`, or `git` taken from snapshot.json, to avoid it on hot paths.
 */
export function captureEnvironment(
  sourceDir?: string,
  options: {
    dirty?: boolean;
    tasks?: Record<string, string>;
    git?: { commit?: string; dirty?: boolean };
  } = {},
): EnvironmentInfo {
  const env: EnvironmentInfo = {
    captured_at: nowIso(),
    host: os.hostname(),
    platform: process.platform,
    arch: process.arch,
    os_release: os.release(),
    node_version: process.versions.node,
    runtime: runtimeMajor(),
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
  };
  if (options.tasks)
    env.tasks = Object.fromEntries(Object.entries(options.tasks).sort(([a], [b]) => a.localeCompare(b)));
  if (options.git) env.git = { ...options.git };
  else if (sourceDir) {
    const info = readGitInfo(path.resolve(sourceDir), { dirty: options.dirty });
    if (info.git_ref)
      env.git = { commit: info.git_ref, ...(info.git_dirty !== undefined ? { dirty: info.git_dirty } : {}) };
  }
  try {
    env.toolchain = readToolchain();
  } catch {
    // A record of facts, not a precondition: the tasks that need the parsers fail on their own.
  }
  const ci = detectCi(process.env);
  if (ci) env.ci = ci;
  return env;
}

function detectCi(e: NodeJS.ProcessEnv): EnvironmentInfo['ci'] | undefined {
  if (e.GITHUB_ACTIONS === 'true')
    return {
      provider: 'github-actions',
      ...(e.GITHUB_RUN_ID ? { run_id: `${e.GITHUB_RUN_ID}/${e.GITHUB_RUN_ATTEMPT ?? '1'}` } : {}),
    };
  if (e.GITLAB_CI) return { provider: 'gitlab', ...(e.CI_PIPELINE_ID ? { run_id: e.CI_PIPELINE_ID } : {}) };
  if (e.CI) return { provider: 'unknown' };
  return undefined;
}
