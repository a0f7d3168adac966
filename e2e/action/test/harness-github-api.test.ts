import { type GitHubApi, startGitHubApi } from '../support/github-api';
import { GitHubRequestValidator, rewriteNullable } from '../support/openapi-validator';

// One validator (one parse of the 73 MB description) for the whole file.
const validator = new GitHubRequestValidator();
let api: GitHubApi;

beforeAll(async () => {
  api = await startGitHubApi({ validator });
});
afterAll(() => api.stop());
afterEach(() => {
  api.denyCheckRunWrites(false);
  api.setKnownCommits(undefined);
});

const SHA = 'a'.repeat(40);

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'codebatch-harness-test',
      'content-type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function annotation(i: number, extra: Record<string, unknown> = {}) {
  return {
    path: 'src/a.ts',
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: 'warning',
    message: `problem ${i}`,
    ...extra,
  };
}

test('a valid create and update are accepted; updates append annotations', async () => {
  const created = await call('POST', '/repos/octo/repo/check-runs', {
    name: 'codebatch',
    head_sha: SHA,
    status: 'in_progress',
    output: {
      title: 'codebatch',
      summary: '2 problems',
      annotations: [annotation(0), annotation(1, { start_column: 3, end_column: 9 })],
    },
  });
  expect(created.status).toBe(201);
  const run = (await created.json()) as { id: number; head_sha: string };
  expect(run.head_sha).toBe(SHA);
  const updated = await call('PATCH', `/repos/octo/repo/check-runs/${run.id}`, {
    conclusion: 'failure',
    output: {
      title: 'codebatch',
      summary: '3 problems',
      annotations: [annotation(2, { annotation_level: 'failure', title: 'rule-x' })],
    },
  });
  expect(updated.status).toBe(200);
  expect(api.checkRuns.get(run.id)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  expect(api.checkRuns.get(run.id)!.annotations.map((a) => a.message)).toEqual([
    'problem 0',
    'problem 1',
    'problem 2',
  ]);
  // Our own answers satisfy GitHub's response schema too.
  api.assertClean();
});

test.each([
  [
    '51 annotations in one request',
    { annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) },
    /must NOT have more than 50 items/,
  ],
  [
    'level "error"',
    { annotations: [annotation(0, { annotation_level: 'error' })] },
    /annotation_level: must be equal to one of the allowed values/,
  ],
  [
    'an annotation without a message',
    { annotations: [{ path: 'a.ts', start_line: 1, end_line: 1, annotation_level: 'notice' }] },
    /must have required property 'message'/,
  ],
  [
    'columns on a multi-line annotation',
    { annotations: [annotation(0, { end_line: 3, start_column: 1 })] },
    /only allowed when start_line == end_line/,
  ],
  [
    'a 256-character title',
    { annotations: [annotation(0, { title: 'x'.repeat(256) })] },
    /title is longer than 255/,
  ],
  [
    'a summary over 65535 characters',
    { summary: 'x'.repeat(65536) },
    /summary: must NOT have more than 65535 characters/,
  ],
])('rejects %s with 422 and records a violation', async (_name, output, expected) => {
  const response = await call('POST', '/repos/octo/repo/check-runs', {
    name: 'codebatch',
    head_sha: SHA,
    output: { title: 't', summary: 's', ...output },
  });
  expect(response.status).toBe(422);
  const violations = api.takeViolations();
  expect(violations.join('\n')).toMatch(expected);
  expect(() => api.assertClean()).not.toThrow();
});

test('rejects a create without head_sha, a completed status without conclusion, and a non-integer id', async () => {
  expect((await call('POST', '/repos/o/r/check-runs', { name: 'x' })).status).toBe(422);
  expect(api.takeViolations().join('\n')).toMatch(/required property 'head_sha'/);
  expect(
    (await call('POST', '/repos/o/r/check-runs', { name: 'x', head_sha: SHA, status: 'completed' })).status,
  ).toBe(422);
  expect(api.takeViolations().join('\n')).toMatch(/required property 'conclusion'/);
  expect((await call('PATCH', '/repos/o/r/check-runs/abc', { status: 'in_progress' })).status).toBe(422);
  expect(api.takeViolations().join('\n')).toMatch(/path check_run_id: must be integer/);
});

test('rejects requests without User-Agent or Authorization, and unknown routes', async () => {
  const noAuth = await fetch(`${api.url}/repos/o/r/check-runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'x' },
    body: JSON.stringify({ name: 'x', head_sha: SHA }),
  });
  expect(noAuth.status).toBe(422);
  expect(api.takeViolations().join('\n')).toMatch(/Authorization/);
  expect((await call('POST', '/repos/o/r/check-runz', {})).status).toBe(422);
  expect(api.takeViolations().join('\n')).toMatch(/no such operation/);
  expect(
    (
      await call(
        'POST',
        '/repos/o/r/check-runs',
        { name: 'x', head_sha: SHA },
        { authorization: 'Bearer wrong' },
      )
    ).status,
  ).toBe(401);
  api.assertClean();
});

test('a fork pull request token gets 403 on check-run writes', async () => {
  api.denyCheckRunWrites(true);
  const response = await call('POST', '/repos/o/r/check-runs', { name: 'x', head_sha: SHA });
  expect(response.status).toBe(403);
  expect(await response.json()).toMatchObject({ message: 'Resource not accessible by integration' });
  api.assertClean();
});

test('an unknown head sha is refused when the known commits are set', async () => {
  api.setKnownCommits(['b'.repeat(40)]);
  expect((await call('POST', '/repos/o/r/check-runs', { name: 'x', head_sha: SHA })).status).toBe(422);
  expect((await call('POST', '/repos/o/r/check-runs', { name: 'x', head_sha: 'b'.repeat(40) })).status).toBe(
    201,
  );
  api.assertClean();
});

test('valid but unmodelled requests are recorded and fail assertClean', async () => {
  expect((await call('GET', '/repos/o/r/pulls/1/files?per_page=100')).status).toBe(404);
  expect(() => api.assertClean()).toThrow(/unhandled request: GET \/repos\/o\/r\/pulls\/1\/files/);
  api.unhandled.length = 0;
});

test('rewriteNullable turns OpenAPI nullable into JSON Schema', () => {
  expect(rewriteNullable({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] });
  expect(rewriteNullable({ type: 'string', enum: ['a'], nullable: true })).toEqual({
    type: ['string', 'null'],
    enum: ['a', null],
  });
  expect(rewriteNullable({ allOf: [{ type: 'object' }], nullable: true })).toEqual({
    anyOf: [{ allOf: [{ type: 'object' }] }, { type: 'null' }],
  });
  expect(rewriteNullable({ properties: { nullable: { type: 'boolean' } } })).toEqual({
    properties: { nullable: { type: 'boolean' } },
  });
});
