import type { ProjectConfig } from './project-config';
import type { SnapshotFs } from './snapshot-fs';

/** Output extension -> the source extensions the compiler emits it from, in its own order. */
const SOURCE_EXTENSIONS: readonly [RegExp, readonly string[]][] = [
  [/\.d\.ts$/, ['.ts', '.tsx']],
  [/\.d\.mts$/, ['.mts']],
  [/\.d\.cts$/, ['.cts']],
  [/\.js$/, ['.ts', '.tsx', '.js', '.jsx']],
  [/\.mjs$/, ['.mts', '.mjs']],
  [/\.cjs$/, ['.cts', '.cjs']],
];

/**
 * The snapshot file a workspace package's build output was emitted from, by the inverse of
 * the package tsconfig's `outDir`/`declarationDir` -> `rootDir` mapping (what tsserver does
 * for project references): `packages/core/dist/a/b.d.ts` -> `packages/core/src/a/b.ts`.
 * Undefined when the mapping does not land on a snapshot file.
 */
export function findEmittingSource(
  builtOutput: string,
  project: ProjectConfig,
  fs: SnapshotFs,
): string | undefined {
  const { outDir, declarationDir, rootDir, configFilePath } = project.options;
  const configDir =
    typeof configFilePath === 'string'
      ? fs.paths.toRelative(configFilePath.slice(0, configFilePath.lastIndexOf('/')))
      : undefined;
  // Without rootDir the compiler uses the common directory of the inputs: usually the config
  // directory or its `src`.
  const sourceRoots =
    rootDir !== undefined
      ? [fs.paths.toRelative(rootDir)]
      : configDir !== undefined
        ? [configDir, join(configDir, 'src')]
        : [];
  for (const out of [declarationDir, outDir]) {
    const outRel = out === undefined ? undefined : fs.paths.toRelative(out);
    if (outRel === undefined || !builtOutput.startsWith(outRel === '' ? '' : `${outRel}/`)) continue;
    const inner = builtOutput.slice(outRel === '' ? 0 : outRel.length + 1);
    for (const [pattern, extensions] of SOURCE_EXTENSIONS) {
      if (!pattern.test(inner)) continue;
      const stem = inner.replace(pattern, '');
      for (const root of sourceRoots) {
        if (root === undefined) continue;
        for (const ext of extensions) {
          const candidate = join(root, stem + ext);
          if (fs.has(candidate)) return candidate;
        }
      }
      break;
    }
  }
  return undefined;
}

function join(dir: string, rel: string): string {
  return dir === '' ? rel : `${dir}/${rel}`;
}
