import { batchAnnotations, CHECKS_LIMITS, type CheckAnnotation, truncateChars } from './annotations';

/**
 * A small Checks API client on plain `fetch`. The token goes into the Authorization header and
 * nowhere else: errors carry the status and GitHub's message, never the request.
 */
export interface ChecksClientOptions {
  /** GITHUB_API_URL (https://api.github.com on github.com). */
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  userAgent?: string;
  fetch?: typeof fetch;
}

/** A failed Checks API request. `forbidden` (403) means: fall back to workflow commands. */
export class ChecksApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ChecksApiError';
  }

  get forbidden(): boolean {
    return this.status === 403;
  }
}

export type CheckConclusion = 'success' | 'failure' | 'neutral';

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

export class ChecksClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ChecksClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** POST /repos/{owner}/{repo}/check-runs; returns the new run's id. */
  async createCheckRun(body: {
    name: string;
    head_sha: string;
    status?: 'queued' | 'in_progress' | 'completed';
    conclusion?: CheckConclusion;
    output?: CheckRunOutput;
    details_url?: string;
    external_id?: string;
  }): Promise<{ id: number; html_url?: string }> {
    return (await this.request('POST', this.repoPath('check-runs'), body)) as {
      id: number;
      html_url?: string;
    };
  }

  /** PATCH /repos/{owner}/{repo}/check-runs/{id}; annotations in `output` are appended. */
  async updateCheckRun(
    id: number,
    body: { status?: 'in_progress' | 'completed'; conclusion?: CheckConclusion; output?: CheckRunOutput },
  ): Promise<void> {
    await this.request('PATCH', this.repoPath(`check-runs/${id}`), body);
  }

  private repoPath(rest: string): string {
    return `/repos/${encodeURIComponent(this.options.owner)}/${encodeURIComponent(this.options.repo)}/${rest}`;
  }

  private async request(method: string, path: string, body: unknown): Promise<unknown> {
    const url = `${this.options.apiUrl.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.options.token}`,
          'content-type': 'application/json',
          'user-agent': this.options.userAgent ?? 'codebatch-action',
          'x-github-api-version': '2022-11-28',
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new ChecksApiError(
        0,
        `${method} ${path} failed: ${this.redact(error instanceof Error ? error.message : String(error))}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let detail = text.slice(0, 500);
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? detail;
      } catch {
        // not JSON: keep the start of the body
      }
      throw new ChecksApiError(
        response.status,
        `${method} ${path} answered ${response.status}: ${this.redact(detail)}`,
      );
    }
    return text ? JSON.parse(text) : undefined;
  }

  private redact(text: string): string {
    return this.options.token ? text.split(this.options.token).join('***') : text;
  }
}

export interface PublishCheckRunInput {
  name: string;
  headSha: string;
  title: string;
  summary: string;
  conclusion: CheckConclusion;
  annotations: readonly CheckAnnotation[];
}

/**
 * Creates a completed check run with the first 50 annotations and appends the rest 50 at a
 * time with PATCH requests (each repeating title and summary, which PATCH requires).
 *
 * @returns the check run id and how many requests were made
 * @throws ChecksApiError; `forbidden` on the first request means the token cannot write checks
 */
export async function publishCheckRun(
  client: ChecksClient,
  input: PublishCheckRunInput,
): Promise<{ id: number; requests: number }> {
  const title = truncateChars(input.title, 255);
  const summary = truncateChars(input.summary, CHECKS_LIMITS.summaryChars);
  const [first, ...rest] = batchAnnotations(input.annotations);
  const run = await client.createCheckRun({
    name: input.name,
    head_sha: input.headSha,
    status: 'completed',
    conclusion: input.conclusion,
    output: { title, summary, annotations: first },
  });
  for (const annotations of rest)
    await client.updateCheckRun(run.id, { output: { title, summary, annotations } });
  return { id: run.id, requests: 1 + rest.length };
}
