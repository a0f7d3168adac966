import { readRunContext } from './github-context';

const base = {
  GITHUB_REPOSITORY: 'octo/repo',
  GITHUB_SHA: 'm'.repeat(40),
  GITHUB_WORKSPACE: '/ws',
  RUNNER_TEMP: '/tmp/r',
  GITHUB_EVENT_PATH: '/event.json',
};

test('pull request: head sha for checks, base sha for the diff, branches from the event', () => {
  const event = {
    repository: { default_branch: 'main', full_name: 'octo/repo' },
    pull_request: {
      number: 5,
      head: { sha: 'h'.repeat(40), ref: 'feat', repo: { full_name: 'octo/repo' } },
      base: { sha: 'b'.repeat(40), ref: 'develop', repo: { full_name: 'octo/repo' } },
    },
  };
  const ctx = readRunContext(
    { ...base, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/5/merge' },
    () => JSON.stringify(event),
  );
  expect(ctx).toMatchObject({
    owner: 'octo',
    repo: 'repo',
    sha: 'm'.repeat(40),
    headSha: 'h'.repeat(40),
    baseSha: 'b'.repeat(40),
    branch: 'feat',
    baseBranch: 'develop',
    defaultBranch: 'main',
    pullRequest: { number: 5, isFork: false },
    apiUrl: 'https://api.github.com',
    runnerOs: 'Linux',
  });
});

test('a fork pull request is recognised', () => {
  const event = {
    pull_request: {
      number: 1,
      head: { sha: 'h', ref: 'x', repo: { full_name: 'fork/repo' } },
      base: { sha: 'b', ref: 'main', repo: { full_name: 'octo/repo' } },
    },
  };
  expect(readRunContext(base, () => JSON.stringify(event)).pullRequest?.isFork).toBe(true);
});

test('push: GITHUB_SHA everywhere, `before` as the base unless all zeros', () => {
  const ctx = readRunContext(
    { ...base, GITHUB_REF: 'refs/heads/main', GITHUB_API_URL: 'http://127.0.0.1:1' },
    () => JSON.stringify({ before: 'p'.repeat(40) }),
  );
  expect(ctx).toMatchObject({
    headSha: 'm'.repeat(40),
    baseSha: 'p'.repeat(40),
    branch: 'main',
    apiUrl: 'http://127.0.0.1:1',
  });
  expect(readRunContext(base, () => JSON.stringify({ before: '0'.repeat(40) })).baseSha).toBeUndefined();
});

test('outside a runner it names the missing variable', () => {
  expect(() => readRunContext({}, () => '{}')).toThrow('GITHUB_REPOSITORY is not set');
});
