// The `eslint` scenario of `npm run bench` (also runnable alone, see the bottom of this file):
// codebatch's `check --pipeline eslint` next to ESLint's own CLI on the same workspace, in the
// same invocation, with peak RSS next to each median.
//
// Workspaces, rebuilt under <benchDir>/eslint/ on every invocation and deleted at the end:
//   ws/        a copy of the benchmark corpus + eslint.config.mjs (@eslint/js recommended +
//              typescript-eslint recommended, not type-aware) + node_modules -> the repository's
//              node_modules, so eslint, @eslint/js and typescript-eslint resolve from ws/.
//   ws-typed/  the zod part of the corpus only (keeps the cold type-aware run bearable) +
//              typescript-eslint recommendedTypeChecked with projectService + tsconfig.json +
//              bench-leaf.ts, a file that imports zod and that nothing imports.
//
// Peak RSS comes from GNU time (`/usr/bin/time -f %M`): the largest resident set of the process
// tree's biggest process (worker threads count, they share the process; child processes are not
// summed). Without /usr/bin/time the column shows "-".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file every "one file changed" row edits (a comment line appended, restored afterwards). */
const EDITED = 'rxjs/src/internal/Observable.ts';
/** The type-aware variant's leaf (created by this script; nothing imports it). */
const LEAF = 'bench-leaf.ts';
/** The library the type-aware variant keeps. */
const TYPED_LIBRARY = 'zod';
const STEPS = ['floors', 'eslint', 'concurrency', 'cache', 'codebatch', 'typed'];

const LINTED = '**/*.{js,mjs,cjs,ts,tsx,mts,cts}';

const CONFIG = `// Written by scripts/bench/eslint-bench.mjs: the standard non-type-aware setup.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { files: ['${LINTED}'] },
  js.configs.recommended,
  tseslint.configs.recommended,
);
`;

const TYPED_CONFIG = `// Written by scripts/bench/eslint-bench.mjs: the standard type-aware setup.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { files: ['${LINTED}'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  // JavaScript is not part of the TypeScript project (allowJs false): no type information.
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
);
`;

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'es2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: ['node'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      allowJs: false,
    },
    include: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
  },
  null,
  2,
)}\n`;

const LEAF_SOURCE = `// Written by scripts/bench/eslint-bench.mjs: a leaf (nothing imports it), edited between runs.
import { z } from './${TYPED_LIBRARY}/src/index.js';

export const user = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  tags: z.array(z.string()),
});

export type User = z.infer<typeof user>;

export function parseUser(input: unknown): User {
  return user.parse(input);
}
`;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs one command, timed from outside, with its peak RSS when GNU time is there. Exit codes in
 * `ok` are accepted (ESLint and codebatch exit 1 on findings); anything else throws.
 */
function measure(cmd, argv, { cwd, ok = [0, 1], tmp }) {
  const rssFile = path.join(tmp, `rss-${process.pid}.txt`);
  const [file, args] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...argv]] : [cmd, argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let rssMB;
  if (GNU_TIME) {
    const kb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb)) rssMB = kb / 1024;
  }
  if (r.error) throw r.error;
  if (!ok.includes(r.status)) {
    const err = new Error(
      `${path.basename(cmd)} ${argv.join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).slice(0, 2000)}`,
    );
    err.status = r.status;
    throw err;
  }
  return { seconds, rssMB, exitCode: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Repeats `one(i)` (which returns a measure() result) n times: median seconds, highest RSS. */
function series(n, one) {
  const results = Array.from({ length: n }, (_, i) => one(i));
  const rss = results.map((r) => r.rssMB).filter((x) => x !== undefined);
  return {
    seconds: median(results.map((r) => r.seconds)),
    rssMB: rss.length ? Math.max(...rss) : undefined,
    last: results.at(-1),
    all: results,
  };
}

function writeWorkspace(dir, { from, config, extra = {} }, repo) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [src, dest] of from) fs.cpSync(src, path.join(dir, dest), { recursive: true });
  fs.writeFileSync(path.join(dir, 'eslint.config.mjs'), config);
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

/** Appends `// bench edit <tag>` to a file; returns the function that restores it. */
function editor(file) {
  const original = fs.readFileSync(file);
  return {
    edit(tag) {
      fs.writeFileSync(file, Buffer.concat([original, Buffer.from(`\n// bench edit ${tag}\n`)]));
    },
    restore() {
      fs.writeFileSync(file, original);
    },
  };
}

/** (path, line, col, rule, severity, message) of `eslint -f json` output, as sorted strings. */
function eslintKeys(jsonFile, root) {
  const results = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  const keys = [];
  for (const r of results) {
    const rel = path.relative(root, r.filePath).split(path.sep).join('/');
    for (const m of r.messages)
      keys.push(
        JSON.stringify([
          rel,
          m.line ?? 0,
          m.column ?? 0,
          m.ruleId ?? '',
          m.severity === 2 ? 'error' : 'warning',
          m.message,
        ]),
      );
  }
  return { keys: keys.sort(), files: results.length };
}

/**
 * The same keys from `check --format json`. ESLint reports some messages without a rule (unused
 * disable directives, parse errors: ruleId null); codebatch gives those a code of its own under
 * `eslint/` (e.g. `eslint/directive`), compared here as "no rule". `pseudo` counts them by code.
 */
function codebatchKeys(report) {
  const pseudo = {};
  const keys = (report.diagnostics ?? [])
    .map((d) => {
      let code = d.code ?? '';
      if (code.startsWith('eslint/')) {
        pseudo[code] = (pseudo[code] ?? 0) + 1;
        code = '';
      }
      return JSON.stringify([
        String(d.path ?? '').replace(/^\.\//, ''),
        d.line ?? 0,
        d.col ?? d.column ?? 0,
        code,
        d.severity,
        d.message,
      ]);
    })
    .sort();
  keys.pseudo = pseudo;
  return keys;
}

/** Compares two sorted key lists as sets (and as multisets); returns a one-line verdict. */
function compareKeys(label, a, aName, b, bName, log) {
  const setA = new Set(a);
  const setB = new Set(b);
  const onlyA = [...setA].filter((k) => !setB.has(k));
  const onlyB = [...setB].filter((k) => !setA.has(k));
  const same = onlyA.length === 0 && onlyB.length === 0;
  // Differences in the message text alone (same path, line, col, rule, severity): TypeScript
  // prints a union's members in the order its checker created them, which depends on what the
  // process checked before.
  const noMessage = (keys) => new Set(keys.map((k) => JSON.stringify(JSON.parse(k).slice(0, 5))));
  const textOnly =
    !same &&
    onlyA.length === onlyB.length &&
    (() => {
      const a = noMessage(onlyA);
      const b = noMessage(onlyB);
      return a.size === b.size && [...a].every((k) => b.has(k));
    })();
  const dup = a.length !== setA.size || b.length !== setB.size;
  let line = `${label}: ${aName} ${a.length} diagnostics (${setA.size} distinct), ${bName} ${b.length} (${setB.size} distinct): ${same ? 'MATCH' : textOnly ? `DIFFER in message text only (${onlyA.length} messages; same path, line, col, rule, severity)` : 'DIFFER'}`;
  if (same && a.length !== b.length) line += ` (as sets; counts differ: ${a.length} vs ${b.length})`;
  else if (same && dup) line += ' (with duplicates on both sides)';
  log(`  ${line}\n`);
  if (!same) {
    log(`    only in ${aName} (${onlyA.length}), first 5:\n`);
    for (const k of onlyA.slice(0, 5)) log(`      ${k}\n`);
    log(`    only in ${bName} (${onlyB.length}), first 5:\n`);
    for (const k of onlyB.slice(0, 5)) log(`      ${k}\n`);
  }
  return line;
}

/**
 * Runs the scenario. Returns { text, eslintColdSeconds }: `text` is the table (and verdicts) to
 * print after the main bench table.
 */
export function runEslintBench({
  repo,
  benchDir,
  corpus,
  runs,
  cliBin,
  steps = STEPS,
  keep = false,
  log = (s) => process.stderr.write(s),
}) {
  const want = (s) => steps.includes(s);
  const work = path.join(benchDir, 'eslint');
  const tmp = path.join(work, 'tmp');
  const ws = path.join(work, 'ws');
  const wsTyped = path.join(work, 'ws-typed');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });

  writeWorkspace(ws, { from: [[corpus, '.']], config: CONFIG }, repo);
  writeWorkspace(
    wsTyped,
    {
      from: [[path.join(corpus, TYPED_LIBRARY), TYPED_LIBRARY]],
      config: TYPED_CONFIG,
      extra: { 'tsconfig.json': TSCONFIG, [LEAF]: LEAF_SOURCE },
    },
    repo,
  );

  // ESLint as the workspace resolves it (through ws/node_modules).
  const wsRequire = createRequire(path.join(ws, 'package.json'));
  const eslintPkg = wsRequire.resolve('eslint/package.json');
  const eslintVersion = JSON.parse(fs.readFileSync(eslintPkg, 'utf8')).version;
  const tsEslintVersion = JSON.parse(
    fs.readFileSync(wsRequire.resolve('typescript-eslint/package.json'), 'utf8'),
  ).version;
  const eslintBin = path.join(path.dirname(eslintPkg), 'bin/eslint.js');
  const node = process.execPath;
  const eslint = (cwd, argv, ok = [0, 1]) => measure(node, [eslintBin, ...argv], { cwd, ok, tmp });

  // The configs in force, checked cheaply: a TypeScript file gets typescript-eslint's rules from
  // ws/eslint.config.mjs, and the typed variant has type information.
  const printed = (cwd, file) => JSON.parse(eslint(cwd, ['--print-config', file], [0]).stdout);
  const plain = printed(ws, EDITED);
  if (
    !plain.rules?.['@typescript-eslint/no-unused-vars'] ||
    plain.rules?.['@typescript-eslint/no-floating-promises']
  )
    throw new Error(`ws/eslint.config.mjs is not the one in force for ${EDITED}`);
  const typed = printed(wsTyped, LEAF);
  if (
    !typed.rules?.['@typescript-eslint/no-floating-promises'] ||
    typed.languageOptions?.parserOptions?.projectService !== true
  )
    throw new Error(`ws-typed/eslint.config.mjs (type-aware) is not the one in force for ${LEAF}`);
  const typedFiles = countFiles(wsTyped);
  log(
    `eslint: ESLint ${eslintVersion}, typescript-eslint ${tsEslintVersion} from ${ws}/node_modules; ` +
      `${countFiles(ws)} lintable files; type-aware variant: ${TYPED_LIBRARY} only (${typedFiles} lintable files)\n`,
  );

  const rows = [];
  const notes = [];
  const add = (r) => {
    rows.push(r);
    const s = typeof r.seconds === 'number' ? `${r.seconds.toFixed(3)} s` : r.seconds;
    log(`  ${r.name}: ${s}${r.rssMB ? `, ${Math.round(r.rssMB)} MB` : ''}${r.info ? ` (${r.info})` : ''}\n`);
    return r;
  };
  const byKey = {};
  const noteOnce = (n) => {
    if (!notes.includes(n)) notes.push(n);
  };

  // codebatch `check`, when the command exists (it is being written at the same time as this).
  const help = spawnSync(node, [cliBin, 'check', '--help'], { encoding: 'utf8' });
  const checkAvailable = help.status === 0 && /pipeline/.test(help.stdout);
  const checkNA = 'n/a (check not available)';
  let storeCounter = 0;
  const freshStore = (name) => {
    storeCounter += 1;
    const dir = path.join(work, 'stores', `${name}-${storeCounter}`);
    const r = spawnSync(node, [cliBin, 'init', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`codebatch init ${dir} failed: ${r.stderr}`);
    return dir;
  };
  const check = (dir, store) => {
    const r = measure(
      node,
      [cliBin, 'check', dir, '--pipeline', 'eslint', '--store', store, '--parallel', '2', '--format', 'json'],
      {
        cwd: dir,
        tmp,
      },
    );
    const report = JSON.parse(r.stdout);
    r.report = report;
    r.executed = report.taskFiles?.executed;
    r.reused = report.taskFiles?.reused;
    if (report.status !== 'done' || report.failures?.length)
      noteOnce(
        `check ${path.basename(dir)}: status ${report.status}, failures ${JSON.stringify(report.failures).slice(0, 300)}`,
      );
    for (const line of r.stderr.split('\n').filter(Boolean))
      noteOnce(`check stderr: ${line.replace(/^\(node:\d+\) /, '').slice(0, 300)}`);
    return r;
  };
  const counts = (s) =>
    `executed ${s.all.map((r) => r.executed).join('/')}, reused ${s.all.map((r) => r.reused).join('/')}`;
  // A failing codebatch row does not stop the ESLint rows.
  const guarded = (name, fn) => {
    if (!checkAvailable) return add({ name, seconds: checkNA });
    try {
      return fn();
    } catch (e) {
      log(`  ${name}: FAILED: ${e.message}\n`);
      notes.push(`${name}: FAILED: ${e.message.split('\n')[0].slice(0, 300)}`);
      return add({ name, seconds: 'FAILED (see stderr)' });
    }
  };

  if (want('floors')) {
    const s0 = series(runs, () => measure(node, ['-e', '0'], { cwd: ws, ok: [0], tmp }));
    byKey.node = add({ name: 'floor: node -e 0', ...s0 });
    const s1 = series(runs, () =>
      measure(node, ['-e', "require('eslint');require('typescript-eslint')"], { cwd: ws, ok: [0], tmp }),
    );
    byKey.load = add({ name: 'floor: node loading eslint + typescript-eslint', ...s1 });
    // What re-linting one file costs any tool that starts a process: ESLint on that file alone.
    const s2 = series(runs, () =>
      eslint(ws, ['-f', 'json', '-o', path.join(tmp, 'eslint-one.json'), EDITED]),
    );
    byKey.one = add({ name: `floor: eslint ${EDITED} (that file alone)`, ...s2 });
  }

  if (want('eslint')) {
    const s = series(runs, () => eslint(ws, ['-f', 'json', '-o', path.join(tmp, 'eslint-cold.json'), '.']));
    byKey.cold = add({ name: 'eslint . (no cache)', ...s });
    const linted = eslintKeys(path.join(tmp, 'eslint-cold.json'), ws);
    log(`  eslint . linted ${linted.files} files, ${linted.keys.length} diagnostics\n`);
  }
  if (want('concurrency')) {
    const helpText = eslint(ws, ['--help'], [0]).stdout;
    if (/--concurrency/.test(helpText)) {
      const s = series(runs, () =>
        eslint(ws, ['--concurrency', '2', '-f', 'json', '-o', path.join(tmp, 'eslint-c2.json'), '.']),
      );
      byKey.conc = add({ name: 'eslint --concurrency 2 .', ...s, base: byKey.cold });
    } else
      add({
        name: 'eslint --concurrency 2 .',
        seconds: `n/a (ESLint ${eslintVersion} has no --concurrency)`,
      });
  }

  const edited = editor(path.join(ws, EDITED));
  try {
    if (want('cache')) {
      const cacheArgs = (loc) => ['--cache', '--cache-strategy', 'content', '--cache-location', loc];
      const sCold = series(runs, (i) =>
        eslint(ws, [
          ...cacheArgs(path.join(tmp, `eslintcache-cold-${i}`)),
          '-f',
          'json',
          '-o',
          path.join(tmp, 'eslint-cache-cold.json'),
          '.',
        ]),
      );
      byKey.cacheCold = add({ name: 'eslint --cache (content), cold cache', ...sCold, base: byKey.cold });
      // The last cold run's cache is the warm one.
      const loc = path.join(tmp, `eslintcache-cold-${runs - 1}`);
      const sWarm = series(runs, () =>
        eslint(ws, [...cacheArgs(loc), '-f', 'json', '-o', path.join(tmp, 'eslint-cache-warm.json'), '.']),
      );
      byKey.cacheWarm = add({ name: 'eslint --cache (content), nothing changed', ...sWarm });
      const sEdit = series(runs, (i) => {
        edited.edit(i);
        return eslint(ws, [
          ...cacheArgs(loc),
          '-f',
          'json',
          '-o',
          path.join(tmp, 'eslint-cache-edit.json'),
          '.',
        ]);
      });
      edited.restore();
      byKey.cacheEdit = add({ name: `eslint --cache (content), one file changed (${EDITED})`, ...sEdit });
    }

    if (want('codebatch')) {
      guarded('codebatch check --parallel 2, cold (fresh store)', () => {
        let store;
        const s = series(runs, () => {
          store = freshStore('cold');
          return check(ws, store);
        });
        byKey.cbCold = add({
          name: 'codebatch check --parallel 2, cold (fresh store)',
          ...s,
          info: counts(s),
        });
        byKey.cbStore = store;
        return byKey.cbCold;
      });
      if (byKey.cbStore)
        guarded('codebatch check --parallel 2, nothing changed (same store)', () => {
          const s = series(runs, () => check(ws, byKey.cbStore));
          byKey.cbWarm = add({
            name: 'codebatch check --parallel 2, nothing changed (same store)',
            ...s,
            info: counts(s),
          });
          if (s.all.some((r) => r.executed !== 0))
            notes.push(`codebatch nothing changed: expected 0 files executed, got ${counts(s)}`);
          const warmKeys = codebatchKeys(s.last.report);
          const coldKeys = codebatchKeys(byKey.cbCold.last.report);
          compareKeys('codebatch reused results vs its cold run', coldKeys, 'cold', warmKeys, 'warm', log);
          return byKey.cbWarm;
        });
      if (byKey.cbStore)
        guarded(`codebatch check --parallel 2, one file changed (${EDITED})`, () => {
          const s = series(runs, (i) => {
            edited.edit(i);
            return check(ws, byKey.cbStore);
          });
          edited.restore();
          byKey.cbEdit = add({
            name: `codebatch check --parallel 2, one file changed (${EDITED})`,
            ...s,
            info: counts(s),
          });
          if (s.all.some((r) => r.executed !== 1))
            notes.push(`codebatch one file changed: expected 1 file executed, got ${counts(s)}`);
          return byKey.cbEdit;
        });
    }
  } finally {
    edited.restore();
  }

  const leaf = editor(path.join(wsTyped, LEAF));
  try {
    if (want('typed')) {
      const s = series(runs, () =>
        eslint(wsTyped, ['-f', 'json', '-o', path.join(tmp, 'eslint-typed.json'), '.']),
      );
      byKey.typedCold = add({ name: `eslint . type-aware (${TYPED_LIBRARY} only), no cache`, ...s });
      guarded(
        `codebatch check type-aware (${TYPED_LIBRARY} only), cold store (1 run, fills the store)`,
        () => {
          const store = freshStore('typed');
          const r = check(wsTyped, store);
          byKey.typedStore = store;
          byKey.cbTypedCold = add({
            name: `codebatch check --parallel 2 type-aware (${TYPED_LIBRARY} only), cold store (1 run, fills the store)`,
            ...r,
            last: r,
            base: byKey.typedCold,
            info: `executed ${r.executed}, reused ${r.reused}`,
          });
          return byKey.cbTypedCold;
        },
      );
      if (byKey.typedStore)
        guarded(`codebatch check type-aware, leaf changed`, () => {
          const s2 = series(runs, (i) => {
            leaf.edit(i);
            return check(wsTyped, byKey.typedStore);
          });
          leaf.restore();
          byKey.cbTypedLeaf = add({
            name: `codebatch check --parallel 2 type-aware (${TYPED_LIBRARY} only), ${LEAF} changed, warm store`,
            ...s2,
            info: counts(s2),
          });
          if (s2.all.some((r) => r.executed !== 1))
            notes.push(`codebatch type-aware leaf changed: expected 1 file executed, got ${counts(s2)}`);
          return byKey.cbTypedLeaf;
        });
    }
  } finally {
    leaf.restore();
  }

  // Equality: the same findings from ESLint's CLI and from codebatch (cold runs, same tree).
  const verdicts = [];
  const pairs = [
    ['eslint . vs codebatch check, cold', 'eslint-cold.json', ws, byKey.cbCold],
    [
      `eslint --cache vs codebatch check, one file changed (last edit)`,
      'eslint-cache-edit.json',
      ws,
      byKey.cbEdit,
    ],
    [
      `type-aware (${TYPED_LIBRARY}): eslint . vs codebatch check, cold`,
      'eslint-typed.json',
      wsTyped,
      byKey.cbTypedCold,
    ],
  ];
  for (const [label, file, root, cb] of pairs) {
    const jsonFile = path.join(tmp, file);
    if (!fs.existsSync(jsonFile)) continue;
    const e = eslintKeys(jsonFile, root);
    if (!cb?.last?.report) {
      verdicts.push(
        `${label}: eslint ${e.keys.length} diagnostics in ${e.files} files; codebatch ${checkAvailable ? 'failed' : 'n/a (check not available)'}`,
      );
      log(`  ${verdicts.at(-1)}\n`);
      continue;
    }
    const cbKeys = codebatchKeys(cb.last.report);
    if (cb.last.executed !== undefined && cb.last.reused === 0)
      noteOnce(
        `${label}: check counts ${cb.last.executed} task-files executed (files in the snapshot, ignored ones included); ESLint linted ${e.files}`,
      );
    verdicts.push(compareKeys(label, e.keys, 'eslint', cbKeys, 'codebatch', log));
    for (const [code, n] of Object.entries(cbKeys.pseudo))
      noteOnce(
        `check reports ESLint's rule-less messages (ruleId null) with code ${code} (${n} in "${label}")`,
      );
  }

  // Targets from the issue.
  const ratio = (base, r) =>
    base && typeof base.seconds === 'number' && r && typeof r.seconds === 'number'
      ? base.seconds / r.seconds
      : undefined;
  const targets = [
    [
      byKey.cbCold,
      [
        [byKey.cold, 1.3, 'eslint .'],
        [byKey.conc, 1.0, 'eslint --concurrency 2', true],
      ],
      '>= 1.3x eslint ., faster than --concurrency 2',
    ],
    [byKey.cbWarm, [[byKey.cacheWarm, 10, 'eslint --cache, nothing changed']], '>= 10x eslint --cache'],
    [byKey.cbEdit, [[byKey.cacheEdit, 3, 'eslint --cache, one file changed']], '>= 3x eslint --cache'],
    [byKey.cbTypedLeaf, [[byKey.typedCold, 5, 'type-aware eslint ., cold']], '>= 5x type-aware eslint cold'],
  ];
  for (const [r, against, target] of targets) {
    if (!r) continue;
    const parts = [];
    let met = true;
    let known = true;
    for (const [base, want, name, strict] of against) {
      const x = ratio(base, r);
      if (x === undefined) {
        known = false;
        continue;
      }
      parts.push(`${x.toFixed(2)}x ${name}`);
      if (strict ? !(x > want) : !(x >= want)) met = false;
    }
    r.ratioText = parts.join('; ');
    r.target = target;
    r.status =
      known && parts.length
        ? met
          ? 'MET'
          : 'MISSED'
        : parts.length
          ? met
            ? 'MET (partial)'
            : 'MISSED'
          : 'n/a (baseline not run)';
  }
  for (const r of rows)
    if (r.ratioText === undefined && r.base) {
      const x = ratio(r.base, r);
      if (x !== undefined) r.ratioText = `${x.toFixed(2)}x ${r.base.name}`;
    }

  const table = [['operation', 'median s', 'peak RSS MB', 'ratio (baseline s / this s)', 'target', '']];
  for (const r of rows)
    table.push([
      String(r.name),
      typeof r.seconds === 'number' ? r.seconds.toFixed(3) : r.seconds,
      r.rssMB === undefined ? '-' : String(Math.round(r.rssMB)),
      String(r.ratioText ?? ''),
      String(r.target ?? ''),
      String(r.status ?? ''),
    ]);
  const widths = table[0].map((_, i) => Math.max(...table.map((t) => t[i].length)));
  const lines = [
    `ESLint ${eslintVersion} + typescript-eslint ${tsEslintVersion} vs codebatch check --pipeline eslint; medians of ${runs} run(s), peak RSS = highest of the runs (${GNU_TIME ? 'GNU time %M, largest process' : 'no /usr/bin/time'})`,
    `type-aware rows lint the ${TYPED_LIBRARY} part of the corpus only (${typedFiles} files)`,
    ...table.map((t) =>
      t
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    ),
    ...verdicts.map((v) => `equality: ${v}`),
    ...notes.map((n) => `note: ${n}`),
  ];

  if (!keep) fs.rmSync(work, { recursive: true, force: true });
  return { text: lines.join('\n'), eslintColdSeconds: byKey.cold?.seconds };
}

/** Files ESLint would lint by extension (node_modules, the symlink, excluded). */
function countFiles(dir) {
  let n = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.isFile() && /\.(js|mjs|cjs|ts|tsx|mts|cts)$/.test(e.name)) n += 1;
    }
  };
  walk(dir);
  return n;
}

// Alone: node scripts/bench/eslint-bench.mjs [--runs N] [--steps floors,eslint,...] [--keep]
// (expects the corpus that `npm run bench` builds in .bench/corpus).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const args = process.argv.slice(2);
  const arg = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const benchDir = path.join(repo, '.bench');
  const out = runEslintBench({
    repo,
    benchDir,
    corpus: path.join(benchDir, 'corpus'),
    runs: Number(arg('runs', '1')),
    cliBin: path.join(repo, 'packages/core/bin/codebatch.js'),
    steps: arg('steps', STEPS.join(',')).split(',').filter(Boolean),
    keep: args.includes('--keep'),
  });
  console.log(out.text);
}

export { STEPS as ESLINT_BENCH_STEPS };
