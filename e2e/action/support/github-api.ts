import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubRequestValidator, type RouteMatch } from './openapi-validator';

/**
 * A loopback GitHub REST API. Every request is validated against GitHub's OpenAPI
 * description; an invalid one is answered 422 (as GitHub does) and recorded as a violation,
 * and `assertClean()` (call it in afterEach) fails the test. The stand-in's own responses are
 * validated too, so the action is tested against answers shaped like the real ones.
 *
 * Modelled: check runs (create, update with appended annotations, get, list annotations).
 * Anything else that is valid is answered 404 and recorded in `unhandled`.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  template?: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  status: number;
  errors: string[];
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunState {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Annotation[];
  started_at: string | null;
  completed_at: string | null;
  details_url: string | null;
  external_id: string | null;
}

export interface GitHubApi {
  /** Value for GITHUB_API_URL. */
  url: string;
  /** The token the action must send (GITHUB_TOKEN / `github-token` input). */
  token: string;
  requests: RecordedRequest[];
  /** Requests the real API would reject, and defects in the stand-in's own answers. */
  violations: string[];
  unhandled: string[];
  checkRuns: Map<number, CheckRunState>;
  /** Answer 403 to check-run writes, as GitHub does for a fork pull request's token. */
  denyCheckRunWrites(deny: boolean): void;
  /** Commits that exist: creating a check run for another sha answers 422 (unset: any sha). */
  setKnownCommits(shas: string[] | undefined): void;
  /** Returns and clears the violations (for tests that send invalid requests on purpose). */
  takeViolations(): string[];
  /** Throws when anything invalid or unhandled was seen. */
  assertClean(): void;
  stop(): Promise<void>;
}

const API_VERSION_DOCS = 'https://docs.github.com/rest/checks/runs';

/**
 * @param options.validator share one validator (and its 73 MB spec) between servers of a test file
 * @param options.token the only token accepted (401 "Bad credentials" otherwise)
 */
export async function startGitHubApi(
  options: { validator?: GitHubRequestValidator; token?: string } = {},
): Promise<GitHubApi> {
  const validator = options.validator ?? new GitHubRequestValidator();
  const token = options.token ?? 'ghs_testtoken0123456789abcdefghijklmnopqrstu';
  const requests: RecordedRequest[] = [];
  let violations: string[] = [];
  const unhandled: string[] = [];
  const checkRuns = new Map<number, CheckRunState>();
  let denyWrites = false;
  let knownCommits: Set<string> | undefined;
  let nextId = 4_000_000_001;
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      const { status, body } = handle(req, raw);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-github-api-version-selected': '2022-11-28',
      });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });

  function handle(req: http.IncomingMessage, raw: string): { status: number; body: unknown } {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const result = validator.validateRequest({ method, url, headers: req.headers, body: raw });
    const record: RecordedRequest = {
      method,
      url,
      template: result.match?.template,
      headers: req.headers,
      body: result.json,
      status: 0,
      errors: result.errors,
    };
    requests.push(record);
    const reply = (status: number, body: unknown) => {
      record.status = status;
      if (result.match) {
        for (const e of validator.validateResponse(result.match, method, status, body))
          violations.push(`stand-in defect: ${e}`);
      }
      return { status, body };
    };
    if (result.errors.length > 0) {
      violations.push(...result.errors);
      return reply(422, {
        message: 'Invalid request.',
        errors: result.errors,
        documentation_url: API_VERSION_DOCS,
        status: '422',
      });
    }
    if (req.headers.authorization !== `Bearer ${token}` && req.headers.authorization !== `token ${token}`) {
      return reply(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    const match = result.match!;
    const route = `${method} ${match.template}`;
    const body = (result.json ?? {}) as Record<string, unknown>;
    switch (route) {
      case 'POST /repos/{owner}/{repo}/check-runs':
        return reply(...createCheckRun(match, body));
      case 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}':
        return reply(...updateCheckRun(match, body));
      case 'GET /repos/{owner}/{repo}/check-runs/{check_run_id}': {
        const run = findRun(match);
        return run ? reply(200, renderCheckRun(run)) : reply(404, notFound());
      }
      default:
        unhandled.push(`${method} ${url}`);
        return reply(404, notFound());
    }
  }

  function createCheckRun(match: RouteMatch, body: Record<string, unknown>): [number, unknown] {
    if (denyWrites) return [403, forbidden('create-a-check-run')];
    const headSha = String(body.head_sha);
    if (knownCommits && !knownCommits.has(headSha)) {
      return [
        422,
        {
          message: 'Validation Failed',
          errors: [{ resource: 'CheckRun', code: 'invalid', field: 'head_sha' }],
          documentation_url: API_VERSION_DOCS,
          status: '422',
        },
      ];
    }
    const output = (body.output ?? {}) as Record<string, unknown>;
    const completed = body.status === 'completed' || body.conclusion !== undefined;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const run: CheckRunState = {
      id: nextId++,
      owner: match.params.owner!,
      repo: match.params.repo!,
      name: String(body.name),
      head_sha: headSha,
      status: completed ? 'completed' : String(body.status ?? 'queued'),
      conclusion: (body.conclusion as string | undefined) ?? null,
      output: {
        title: (output.title as string) ?? null,
        summary: (output.summary as string) ?? null,
        text: (output.text as string) ?? null,
      },
      annotations: [...((output.annotations as Annotation[] | undefined) ?? [])],
      started_at: (body.started_at as string | undefined) ?? now,
      completed_at: completed ? ((body.completed_at as string | undefined) ?? now) : null,
      details_url: (body.details_url as string | undefined) ?? null,
      external_id: (body.external_id as string | undefined) ?? '',
    };
    checkRuns.set(run.id, run);
    return [201, renderCheckRun(run)];
  }

  function updateCheckRun(match: RouteMatch, body: Record<string, unknown>): [number, unknown] {
    if (denyWrites) return [403, forbidden('update-a-check-run')];
    const run = findRun(match);
    if (!run) return [404, notFound()];
    const output = body.output as Record<string, unknown> | undefined;
    if (output) {
      if (output.title !== undefined) run.output.title = output.title as string;
      run.output.summary = output.summary as string;
      if (output.text !== undefined) run.output.text = output.text as string;
      // Documented behaviour: annotations of an update are appended to the existing ones.
      run.annotations.push(...((output.annotations as Annotation[] | undefined) ?? []));
    }
    if (body.name !== undefined) run.name = String(body.name);
    if (body.status !== undefined) run.status = String(body.status);
    if (body.conclusion !== undefined) {
      run.conclusion = String(body.conclusion);
      run.status = 'completed';
      run.completed_at =
        (body.completed_at as string | undefined) ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    return [200, renderCheckRun(run)];
  }

  function findRun(match: RouteMatch): CheckRunState | undefined {
    const run = checkRuns.get(Number(match.params.check_run_id));
    return run && run.owner === match.params.owner && run.repo === match.params.repo ? run : undefined;
  }

  function renderCheckRun(run: CheckRunState) {
    const repoUrl = `${baseUrl}/repos/${run.owner}/${run.repo}`;
    return {
      id: run.id,
      node_id: Buffer.from(`CheckRun${run.id}`).toString('base64'),
      head_sha: run.head_sha,
      external_id: run.external_id,
      url: `${repoUrl}/check-runs/${run.id}`,
      html_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
      details_url: run.details_url ?? `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: {
        ...run.output,
        annotations_count: run.annotations.length,
        annotations_url: `${repoUrl}/check-runs/${run.id}/annotations`,
      },
      name: run.name,
      check_suite: { id: 5_000_000_001 },
      app: GITHUB_ACTIONS_APP,
      pull_requests: [],
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    token,
    requests,
    get violations() {
      return violations;
    },
    unhandled,
    checkRuns,
    denyCheckRunWrites: (deny) => {
      denyWrites = deny;
    },
    setKnownCommits: (shas) => {
      knownCommits = shas ? new Set(shas) : undefined;
    },
    takeViolations: () => {
      const taken = violations;
      violations = [];
      return taken;
    },
    assertClean() {
      const problems = [...violations, ...unhandled.map((u) => `unhandled request: ${u}`)];
      if (problems.length > 0)
        throw new Error(`GitHub API stand-in saw invalid requests:\n- ${problems.join('\n- ')}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function notFound() {
  return { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };
}

function forbidden(anchor: string) {
  return {
    message: 'Resource not accessible by integration',
    documentation_url: `${API_VERSION_DOCS}#${anchor}`,
    status: '403',
  };
}

/** The app GitHub reports for check runs created with a workflow's GITHUB_TOKEN. */
const GITHUB_ACTIONS_APP = {
  id: 15368,
  slug: 'github-actions',
  client_id: 'Iv1.05c79e9ad1f6bdfa',
  node_id: 'MDM6QXBwMTUzNjg=',
  owner: {
    login: 'github',
    id: 9919,
    node_id: 'MDEyOk9yZ2FuaXphdGlvbjk5MTk=',
    avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4',
    gravatar_id: '',
    url: 'https://api.github.com/users/github',
    html_url: 'https://github.com/github',
    followers_url: 'https://api.github.com/users/github/followers',
    following_url: 'https://api.github.com/users/github/following{/other_user}',
    gists_url: 'https://api.github.com/users/github/gists{/gist_id}',
    starred_url: 'https://api.github.com/users/github/starred{/owner}{/repo}',
    subscriptions_url: 'https://api.github.com/users/github/subscriptions',
    organizations_url: 'https://api.github.com/users/github/orgs',
    repos_url: 'https://api.github.com/users/github/repos',
    events_url: 'https://api.github.com/users/github/events{/privacy}',
    received_events_url: 'https://api.github.com/users/github/received_events',
    type: 'Organization',
    site_admin: false,
  },
  name: 'GitHub Actions',
  description: 'Automate your workflow from idea to production',
  external_url: 'https://help.github.com/en/actions',
  html_url: 'https://github.com/apps/github-actions',
  created_at: '2018-07-30T09:30:17Z',
  updated_at: '2024-04-10T20:33:16Z',
  permissions: {
    actions: 'write',
    checks: 'write',
    contents: 'write',
    metadata: 'read',
    pull_requests: 'write',
  },
  events: ['check_run', 'check_suite', 'pull_request', 'push'],
};
