// Bundles src/main.ts into dist/index.js (ESM, one file, everything inlined) with esbuild.
// `node scripts/build.mjs --check` builds in memory and exits 1 when the committed dist differs:
// the CI check that dist is up to date.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist/index.js');
const check = process.argv.includes('--check');

const result = await esbuild.build({
  entryPoints: [path.join(root, 'src/main.ts')],
  bundle: true,
  platform: 'node',
  // Runs on the runner's Node 24 and is tested here on Node 20: target the older one.
  target: 'node20',
  format: 'esm',
  outfile,
  write: false,
  minify: false,
  sourcemap: false,
  legalComments: 'eof',
  // Bundled CommonJS dependencies call require(), __filename and __dirname: give ESM output them.
  banner: {
    js: [
      "import { createRequire as __cbCreateRequire } from 'node:module';",
      "import { fileURLToPath as __cbFileURLToPath } from 'node:url';",
      "import { dirname as __cbDirname } from 'node:path';",
      'const require = __cbCreateRequire(import.meta.url);',
      'const __cb_filename = __cbFileURLToPath(import.meta.url);',
      'const __cb_dirname = __cbDirname(__cb_filename);',
    ].join('\n'),
  },
  // Free uses of the CommonJS globals point at the banner's values; modules that declare their
  // own `__filename` keep it (a banner `const __filename` would collide with those).
  define: { __filename: '__cb_filename', __dirname: '__cb_dirname' },
  logLevel: 'warning',
});

const [file] = result.outputFiles;
// dist/ carries its own package.json so that Node treats index.js as ESM wherever dist is copied.
const marker = path.join(root, 'dist/package.json');
const markerText = '{ "type": "module" }\n';
if (check) {
  const committed = fs.existsSync(outfile) ? fs.readFileSync(outfile, 'utf8') : '';
  const committedMarker = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '';
  if (committed !== file.text || committedMarker !== markerText) {
    console.error(
      'packages/action/dist/index.js is out of date: run `npm run build -w @codebatch/action` and commit dist/.',
    );
    process.exit(1);
  }
  console.log('dist/index.js is up to date');
} else {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  fs.writeFileSync(outfile, file.text);
  fs.writeFileSync(marker, markerText);
  console.log(
    `wrote ${path.relative(process.cwd(), outfile)} (${(file.contents.length / 1024).toFixed(0)} KiB)`,
  );
}
