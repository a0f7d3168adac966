/**
 * What the action needs from the runner's environment and the event payload. A pull request's
 * check run goes on `pull_request.head.sha`: GITHUB_SHA is the merge commit there, and a check
 * run on it would not show on the pull request.
 */
export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  /** The commit that was checked out and analysed (GITHUB_SHA). */
  sha: string;
  /** The commit the check run and annotations belong to. */
  headSha: string;
  /** The commit to compare with: a pull request's base, a push's `before`; undefined if none. */
  baseSha?: string;
  branch: string;
  baseBranch?: string;
  defaultBranch?: string;
  pullRequest?: { number: number; isFork: boolean };
  workspace: string;
  runnerOs: string;
  runnerTemp: string;
  apiUrl: string;
}

interface EventPayload {
  before?: string;
  repository?: { default_branch?: string; full_name?: string };
  pull_request?: {
    number?: number;
    head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
    base?: { sha?: string; ref?: string; repo?: { full_name?: string } };
  };
}

const ZERO_SHA = /^0+$/;

/**
 * @param env the process environment of the step
 * @param readEvent reads GITHUB_EVENT_PATH (injected for tests)
 * @throws Error naming the missing variable when the action does not run on a runner
 */
export function readRunContext(env: NodeJS.ProcessEnv, readEvent: (file: string) => string): RunContext {
  const need = (name: string) => {
    const value = env[name];
    if (!value)
      throw new Error(`${name} is not set: codebatch-action runs as a step of a GitHub Actions job`);
    return value;
  };
  const [owner, repo] = need('GITHUB_REPOSITORY').split('/') as [string, string];
  const eventPath = env.GITHUB_EVENT_PATH;
  let event: EventPayload = {};
  if (eventPath) {
    try {
      event = JSON.parse(readEvent(eventPath)) as EventPayload;
    } catch {
      event = {};
    }
  }
  const sha = need('GITHUB_SHA');
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const pr = event.pull_request;
  const refName = env.GITHUB_REF_NAME || (env.GITHUB_REF ?? '').replace(/^refs\/(heads|tags)\//, '');
  const context: RunContext = {
    eventName,
    owner,
    repo,
    sha,
    headSha: sha,
    branch: refName,
    defaultBranch: event.repository?.default_branch,
    workspace: need('GITHUB_WORKSPACE'),
    runnerOs: env.RUNNER_OS || 'Linux',
    runnerTemp: need('RUNNER_TEMP'),
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
  };
  if (pr) {
    context.headSha = pr.head?.sha || sha;
    context.baseSha = pr.base?.sha;
    context.branch = env.GITHUB_HEAD_REF || pr.head?.ref || refName;
    context.baseBranch = env.GITHUB_BASE_REF || pr.base?.ref;
    const headRepo = pr.head?.repo?.full_name;
    const baseRepo = pr.base?.repo?.full_name;
    context.pullRequest = {
      number: pr.number ?? 0,
      isFork: !headRepo || (baseRepo !== undefined && headRepo !== baseRepo),
    };
  } else if (event.before && !ZERO_SHA.test(event.before)) {
    context.baseSha = event.before;
  }
  return context;
}
