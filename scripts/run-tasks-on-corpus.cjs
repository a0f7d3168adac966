#!/usr/bin/env node
/**
 * Runs the analysis tasks over a directory tree the way one shard chain would (01_parse, then
 * the others reusing its memo), without the engine: for precision studies and parser speed.
 *
 *   node scripts/run-tasks-on-corpus.cjs DIR [--tasks parse,analyze,symbols,lint] [--out findings.jsonl]
 *        [--no-memo] [--limit N] [--list paths.txt] [--config '{"parse":{"ast":false}}'] [--no-store]
 *
 * Loads the TypeScript sources directly through @swc/core (no build needed). Objects go to a
 * temporary store that is removed at exit. Prints files/s per task and in total.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const swc = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const src = path.join(__dirname, '..', 'packages', 'core', 'src');
const { getTaskDefinition, prepareTasks } = require(path.join(src, 'tasks', 'registry.ts'));
const { initStore } = require(path.join(src, 'store', 'store.ts'));
const { writeOutputObject } = require(path.join(src, 'store', 'chunking.ts'));
const { sha256Hex } = require(path.join(src, 'util', 'hash.ts'));

function parseArgs(argv) {
  const args = {
    store: true,
    dir: undefined,
    tasks: ['parse', 'analyze', 'symbols', 'lint'],
    out: undefined,
    memo: true,
    limit: Infinity,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--tasks') args.tasks = argv[++i].split(',');
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--no-memo') args.memo = false;
    else if (a === '--limit') args.limit = Number(argv[++i]);
    else if (a === '--list') args.list = argv[++i];
    else if (a === '--config') args.config = JSON.parse(argv[++i]);
    else if (a === '--no-store') args.store = false;
    else args.dir = a;
  }
  if (!args.dir) throw new Error('usage: run-tasks-on-corpus.cjs DIR [--tasks ...] [--out file] [--no-memo]');
  return args;
}

function listFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  walk(root);
  return files;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await prepareTasks();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-corpus-'));
  process.once('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const { store } = initStore(path.join(tmp, 'store'));
  const definitions = args.tasks.map((t) => ({ type: t, def: getTaskDefinition(t) }));
  // --config '{"parse":{"ast":false}}': per-task raw configs.
  const configs = definitions.map(({ type, def }) => def.configSchema.parse(args.config?.[type] ?? {}));
  const timeMs = Object.fromEntries(args.tasks.map((t) => [t, 0]));
  const counts = {};
  const out = args.out ? fs.openSync(args.out, 'w') : undefined;
  // --list: newline-separated paths relative to DIR (a sample of a larger tree).
  const files = (
    args.list
      ? fs
          .readFileSync(args.list, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((p) => path.join(args.dir, p))
      : listFiles(args.dir)
  ).slice(0, args.limit);
  let bytesTotal = 0;
  const started = process.hrtime.bigint();
  for (const full of files) {
    const bytes = fs.readFileSync(full);
    bytesTotal += bytes.length;
    const rel = path.relative(args.dir, full).split(path.sep).join('/');
    const upstream = {};
    const file = {
      path: rel,
      object: sha256Hex(bytes),
      size: bytes.length,
      lang: undefined,
      isText: !bytes.subarray(0, 8000).includes(0),
      bytes: () => bytes,
      text: () => bytes.toString('utf8'),
      upstream: (id) => upstream[id] ?? [],
    };
    const memo = new Map();
    definitions.forEach(({ type, def }, i) => {
      const ctx = {
        config: configs[i],
        seed: 0,
        memo: args.memo ? memo : new Map(),
        // --no-store: hash only, to separate task cost from object-store I/O.
        storeOutput: args.store
          ? (kind, format, data, o) =>
              writeOutputObject(store.objects, kind, format, data, undefined, o?.inline)
          : (_kind, format, data) => ({ object: `sha256:${sha256Hex(data)}`, format }),
        loadOutput: () => {
          throw new Error('not used');
        },
      };
      const t0 = process.hrtime.bigint();
      const records = def.runFile(file, ctx);
      timeMs[type] += Number(process.hrtime.bigint() - t0) / 1e6;
      if (type === 'parse') upstream['01_parse'] = records;
      for (const r of records) {
        const key = `${type}:${r.kind}${r.code ? `:${r.code}` : ''}`;
        counts[key] = (counts[key] ?? 0) + 1;
        if (out !== undefined && r.kind === 'diagnostic') fs.writeSync(out, `${JSON.stringify(r)}\n`);
      }
    });
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (out !== undefined) fs.closeSync(out);
  const rate = (ms) => Math.round((files.length / ms) * 1000);
  console.log(`${files.length} files, ${(bytesTotal / 1e6).toFixed(1)} MB, memo ${args.memo ? 'on' : 'off'}`);
  for (const t of args.tasks)
    console.log(`  ${t.padEnd(8)} ${(timeMs[t] / 1000).toFixed(2)} s  ${rate(timeMs[t])} files/s`);
  console.log(
    `  total    ${(totalMs / 1000).toFixed(2)} s  ${rate(totalMs)} files/s (incl. reading and hashing)`,
  );
  console.log(JSON.stringify(Object.fromEntries(Object.entries(counts).sort()), null, 1));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
