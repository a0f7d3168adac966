import fs from 'node:fs';
import path from 'node:path';
import { PIPELINE_CATALOG } from '@codebatch/core';
import { ActionInputError } from './errors';
import { INPUT_DEFAULTS, PIPELINES, parseInputs, splitList } from './inputs';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

function issues(values: Record<string, string>): string[] {
  try {
    parseInputs(reader(values));
  } catch (error) {
    expect(error).toBeInstanceOf(ActionInputError);
    return (error as ActionInputError).issues;
  }
  throw new Error('expected an ActionInputError');
}

test('defaults apply to unset inputs', () => {
  expect(parseInputs(reader({}))).toEqual({
    workingDirectory: '.',
    paths: [],
    exclude: [],
    pipeline: 'full',
    configFile: undefined,
    storePath: '.codebatch',
    mode: 'run',
    shard: undefined,
    mergeSlices: undefined,
    cacheKeyPrefix: 'codebatch-v1',
    annotate: 'new',
    failOn: 'error',
    githubToken: '',
    sarifFile: 'codebatch.sarif',
    provenanceFile: 'codebatch.intoto.json',
    checkName: 'codebatch',
    saveCache: true,
  });
});

test('a matrix slice and a merge', () => {
  expect(parseInputs(reader({ 'shard-index': '1', 'shard-total': '2' })).shard).toEqual({
    index: 1,
    total: 2,
  });
  const merge = parseInputs(reader({ mode: 'merge', 'shard-total': '3' }));
  expect(merge).toMatchObject({ mode: 'merge', mergeSlices: 3, shard: undefined });
});

test('lists split on lines and commas, comments dropped; sarif-file none disables', () => {
  expect(splitList('src/**\n# note\n lib/** , test/**\n')).toEqual(['src/**', 'lib/**', 'test/**']);
  expect(parseInputs(reader({ 'sarif-file': 'none' })).sarifFile).toBeUndefined();
  expect(parseInputs(reader({ 'provenance-file': 'none' })).provenanceFile).toBeUndefined();
  expect(parseInputs(reader({ 'save-cache': 'FALSE' })).saveCache).toBe(false);
});

test('every problem is reported at once, named by input', () => {
  const found = issues({
    mode: 'rerun',
    annotate: 'some',
    'fail-on': 'fatal',
    pipeline: 'x',
    'shard-index': 'one',
  });
  expect(found).toEqual(
    expect.arrayContaining([
      'mode: must be one of run | merge, got "rerun"',
      'annotate: must be one of new | changed-lines | all | none, got "some"',
      'fail-on: must be one of error | warning | none, got "fatal"',
      'pipeline: must be one of parse | analyze | lint | full | eslint, got "x"',
      'shard-index: must be a whole number, got "one"',
    ]),
  );
});

test.each([
  [
    { 'shard-index': '2', 'shard-total': '2' },
    'shard-index: must be less than shard-total (2); slices are numbered 0..1',
  ],
  [
    { 'shard-index': '0' },
    'shard-total: shard-index and shard-total go together: set both (a matrix slice) or neither',
  ],
  [{ 'shard-total': '0' }, 'shard-total: must be at least 1'],
  [{ 'shard-total': '300' }, 'shard-total: must be at most 256'],
  [{ mode: 'merge' }, 'shard-total: mode: merge needs shard-total (how many slices to restore and merge)'],
  [
    { mode: 'merge', 'shard-total': '2', 'shard-index': '0' },
    'shard-index: mode: merge merges every slice: leave shard-index unset',
  ],
  [
    { 'cache-key-prefix': 'a,b' },
    'cache-key-prefix: must not contain commas or whitespace (the cache service refuses commas)',
  ],
  [{ 'store-path': '../elsewhere' }, 'store-path: must not contain ".." segments'],
  [{ 'save-cache': 'yes' }, 'save-cache: must be true or false, got "yes"'],
])('%j is refused', (values, message) => {
  expect(issues(values)).toContain(message);
});

test('the error message lists the issues', () => {
  expect(() => parseInputs(reader({ mode: 'x' }))).toThrow(
    'Invalid input: mode: must be one of run | merge, got "x"',
  );
});

test("pipeline accepts exactly the pipelines of core's catalog, eslint among them", () => {
  for (const name of Object.keys(PIPELINE_CATALOG)) {
    expect(parseInputs(reader({ pipeline: name })).pipeline).toBe(name);
  }
  expect(parseInputs(reader({ pipeline: 'eslint' })).pipeline).toBe('eslint');
  expect(() => parseInputs(reader({ pipeline: 'format' }))).toThrow(
    `pipeline: must be one of ${Object.keys(PIPELINE_CATALOG).join(' | ')}, got "format"`,
  );
});

test('action.yml documents every pipeline and the defaults this module repeats', () => {
  const yml = fs.readFileSync(path.join(__dirname, '../action.yml'), 'utf8');
  const block = (name: string) => {
    const start = yml.indexOf(`\n  ${name}:\n`);
    expect(start).toBeGreaterThan(-1);
    const end = yml.slice(start + 1).search(/\n {2}[a-z-]+:\n|\n\S/);
    return yml.slice(start, start + 1 + end);
  };
  const pipeline = block('pipeline');
  // A whole word: `lint` must not pass because `eslint` is documented.
  for (const name of PIPELINES)
    expect([name, new RegExp(`(^|[^a-z])${name}([^a-z]|$)`).test(pipeline)]).toEqual([name, true]);
  for (const [name, value] of Object.entries(INPUT_DEFAULTS)) {
    if (name === 'github-token') continue; // `${{ github.token }}`, filled in by the runner
    const declared = /\n {4}default: (.*)/.exec(block(name))?.[1]?.replace(/^"(.*)"$/, '$1');
    expect([name, declared]).toEqual([name, value]);
  }
});
