#!/usr/bin/env node
// node object-write-floor.mjs <tree> <out-dir>
//
// The floor of a cold snapshot on this filesystem: walk the tree, read and hash every file,
// and write each as an object the way SPEC 4.2 and issue 3 require (objects/sha256/<aa>/<bb>/
// <hex>, temp file then rename), with nothing else (no .gitignore, no index, no stat cache).
// sha256sum writes nothing, so it cannot show what file creation costs here; this does.
// Prints the elapsed milliseconds (process start-up excluded).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const [tree, out] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const files = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile()) files.push(p);
  }
};
walk(tree);
const tmpDir = path.join(out, 'tmp');
fs.mkdirSync(tmpDir, { recursive: true });
const dirs = new Set();
let n = 0;
for (const file of files) {
  const bytes = fs.readFileSync(file);
  const hex = createHash('sha256').update(bytes).digest('hex');
  const dir = path.join(out, 'objects/sha256', hex.slice(0, 2), hex.slice(2, 4));
  const final = path.join(dir, hex);
  if (!dirs.has(dir)) {
    dirs.add(dir);
    fs.mkdirSync(dir, { recursive: true });
  } else if (fs.existsSync(final)) continue;
  n += 1;
  const tmp = path.join(tmpDir, `${hex}.${n}.tmp`);
  const fd = fs.openSync(tmp, 'wx');
  fs.writeSync(fd, bytes);
  fs.closeSync(fd);
  fs.renameSync(tmp, final);
}
console.log(Number(process.hrtime.bigint() - t0) / 1e6);
