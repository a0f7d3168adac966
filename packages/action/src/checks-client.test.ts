import type { CheckAnnotation } from './annotations';
import { ChecksApiError, ChecksClient, publishCheckRun } from './checks-client';

const TOKEN = 'ghs_secret_token_value';

function fakeFetch(responses: Array<{ status: number; body: unknown }>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift() ?? { status: 200, body: {} };
    return new Response(JSON.stringify(next.body), { status: next.status });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

const annotation = (i: number): CheckAnnotation => ({
  path: 'a.ts',
  start_line: i,
  end_line: i,
  annotation_level: 'warning',
  message: `m${i}`,
});

test('create with the first 50, then PATCH the rest 50 at a time, on the head sha', async () => {
  const { fn, calls } = fakeFetch([{ status: 201, body: { id: 7 } }]);
  const client = new ChecksClient({
    apiUrl: 'http://127.0.0.1:9/',
    token: TOKEN,
    owner: 'o',
    repo: 'r',
    fetch: fn,
  });
  const result = await publishCheckRun(client, {
    name: 'codebatch',
    headSha: 'h'.repeat(40),
    title: 'T',
    summary: 'S',
    conclusion: 'failure',
    annotations: Array.from({ length: 120 }, (_, i) => annotation(i + 1)),
  });
  expect(result).toEqual({ id: 7, requests: 3 });
  expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
    'POST http://127.0.0.1:9/repos/o/r/check-runs',
    'PATCH http://127.0.0.1:9/repos/o/r/check-runs/7',
    'PATCH http://127.0.0.1:9/repos/o/r/check-runs/7',
  ]);
  const bodies = calls.map((c) => JSON.parse(String(c.init.body)));
  expect(bodies[0]).toMatchObject({
    name: 'codebatch',
    head_sha: 'h'.repeat(40),
    status: 'completed',
    conclusion: 'failure',
  });
  expect(bodies.map((b) => b.output.annotations.length)).toEqual([50, 50, 20]);
  expect(bodies[1].output).toMatchObject({ title: 'T', summary: 'S' });
  const headers = calls[0]!.init.headers as Record<string, string>;
  expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(headers['user-agent']).toBeTruthy();
});

test('403 is a forbidden ChecksApiError, and the token never appears in errors', async () => {
  const { fn } = fakeFetch([
    { status: 403, body: { message: `Resource not accessible by integration ${TOKEN}` } },
  ]);
  const client = new ChecksClient({
    apiUrl: 'http://127.0.0.1:9',
    token: TOKEN,
    owner: 'o',
    repo: 'r',
    fetch: fn,
  });
  const error = await client.createCheckRun({ name: 'x', head_sha: 'h' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ChecksApiError);
  expect((error as ChecksApiError).forbidden).toBe(true);
  expect((error as Error).message).toContain('403');
  expect((error as Error).message).not.toContain(TOKEN);
});

test('network failures become ChecksApiError with status 0', async () => {
  const fn = (async () => {
    throw new Error('connect ECONNREFUSED');
  }) as unknown as typeof fetch;
  const client = new ChecksClient({
    apiUrl: 'http://127.0.0.1:9',
    token: TOKEN,
    owner: 'o',
    repo: 'r',
    fetch: fn,
  });
  const error = (await client.updateCheckRun(1, {}).catch((e: unknown) => e)) as ChecksApiError;
  expect(error.status).toBe(0);
  expect(error.forbidden).toBe(false);
});
