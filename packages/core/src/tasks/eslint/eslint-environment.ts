import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../../store/atomic-write';
import { sha256Hex, sha256OfCanonical } from '../../util/hash';
import { importModule } from '../../util/import-module';
import type { TaskEnvironmentInput } from '../task-definition';
import { digestAncestorConfigs, digestOutsideImports } from './ancestor-configs';
import {
  findConfigImports,
  isEslintConfigFile,
  isFlatConfigFile,
  isLockfile,
  isRcConfigFile,
} from './config-files';
import { usesTypeInformation } from './config-key';
import type { EslintConfig } from './eslint-config';
import { findWorkspaceEslint, findWorkspacePackage } from './resolve-eslint';

/** Package specifiers (`typescript-eslint`, `@eslint/js`, `eslint/config`); relative ones start with a dot. */
const BARE_IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])((?:@[\w.-]+\/)?\w[\w./-]*)\1/g;

/**
 * What decides the ESLint task's results besides each shard's own files, read without loading
 * ESLint: its version, the config files of the tree and the files they import, the versions of
 * the packages they import, the lockfiles and npm's record of what is installed. Part of every
 * shard's input bundle, so a run over an unchanged tree and toolchain skips every shard
 * without loading ESLint. Per-file precision (which files a config change affects) comes from
 * the memo keys of the shards that do execute.
 *
 * With type information in play a file's result depends on other files too, so each shard's
 * bundle then also covers its files' type closure digests (eslint-meta's shardInputs); whether
 * it is in play is learnt once per environment by reading the config and kept under
 * indexes/eslint (deletable; unknown counts as yes).
 */
export async function computeEslintEnvironment(
  input: TaskEnvironmentInput,
): Promise<Record<string, unknown>> {
  const { snapshot } = input;
  const config = input.config as Partial<EslintConfig>;
  const files = snapshot.files();
  const byPath = new Map(files.map((f) => [f.path, f.object.replace(/^sha256:/, '')]));
  const readText = (p: string) => snapshot.read(byPath.get(p)!).toString('utf8');
  const configPaths = files.filter((f) => isEslintConfigFile(f.path)).map((f) => f.path);
  const configClosure = findConfigImports(configPaths, (p) => byPath.has(p), readText);
  const packages: Record<string, string | null> = {};
  for (const p of configClosure) {
    if (!/\.(c|m)?[jt]s$/.test(p)) continue;
    for (const m of readText(p).matchAll(BARE_IMPORT)) {
      const name = packageName(m[2]!);
      if (name && !(name in packages) && !name.startsWith('node:'))
        packages[name] = findWorkspacePackage(snapshot.root, name)?.version ?? null;
    }
  }
  const facts = {
    eslint: findWorkspaceEslint(snapshot.root)?.version ?? null,
    configs: Object.fromEntries(configClosure.map((p) => [p, byPath.get(p)!])),
    packages: sortKeys(packages),
    lockfiles: Object.fromEntries(
      files.filter((f) => isLockfile(f.path)).map((f) => [f.path, byPath.get(f.path)!]),
    ),
    // Configs and lockfiles ESLint and npm find above the analysed directory (an Nx project under
    // the workspace root's config), and files outside it that the tree's configs import. Keyed
    // by absolute path: a store is shared between checkouts at the same path (CI runners), and
    // a different path is a different environment anyway.
    outside: {
      ...digestAncestorConfigs(snapshot.root),
      ...digestOutsideImports(snapshot.root, configClosure, readText),
    },
    installed: digestIfPresent(path.join(snapshot.root, 'node_modules', '.package-lock.json')),
    flat_env: process.env.ESLINT_USE_FLAT_CONFIG ?? null,
    lookup: config.configLookup ?? 'file',
  };
  const typeAware = await readOrDetectTypeAware(input.cacheDir, sha256OfCanonical(facts), () =>
    detectTypeAware(
      snapshot.root,
      configPaths.filter((p) => isFlatConfigFile(p)),
      configPaths.some((p) => isRcConfigFile(p)) || Object.keys(facts.outside).some((p) => isRcConfigFile(p)),
      Object.keys(facts.outside).filter((p) => isFlatConfigFile(p)),
    ),
  );
  return { ...facts, type_aware: typeAware };
}

function packageName(spec: string): string | undefined {
  const parts = spec.split('/');
  return spec.startsWith('@') ? (parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function digestIfPresent(file: string): string | null {
  try {
    return sha256Hex(fs.readFileSync(file));
  } catch {
    return null;
  }
}

async function readOrDetectTypeAware(
  cacheDir: string,
  factsDigest: string,
  detect: () => Promise<boolean | undefined>,
): Promise<boolean> {
  const file = path.join(cacheDir, 'eslint', `type-aware-${factsDigest}`);
  try {
    const known = fs.readFileSync(file, 'utf8');
    if (known === 'yes' || known === 'no') return known === 'yes';
  } catch {
    // not learnt yet
  }
  const found = await detect();
  if (found === undefined) return true;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, found ? 'yes' : 'no');
  } catch {
    // Acceleration only: unknown is treated as type-aware, which is sound.
  }
  return found;
}

/**
 * Reads the flat config files the way ESLint does (an ES import) and looks for parser options
 * that ask for type information. undefined (treated as yes) when it cannot tell: eslintrc
 * files, TypeScript config files Node cannot import, or a config that throws (ESLint will
 * report that one itself).
 */
async function detectTypeAware(
  root: string,
  flatConfigs: readonly string[],
  hasRc: boolean,
  outsideFlatConfigs: readonly string[],
): Promise<boolean | undefined> {
  const all = [...flatConfigs.map((rel) => path.join(root, rel)), ...outsideFlatConfigs];
  if (hasRc || all.length === 0) return undefined;
  for (const file of all) {
    if (/\.(c|m)?ts$/.test(file)) return undefined;
    let exported: unknown;
    try {
      const mod = (await importModule(pathToFileURL(file).href)) as { default?: unknown };
      exported = await mod.default;
    } catch {
      return undefined;
    }
    if (containsTypeAwareOptions(exported)) return true;
  }
  return false;
}

/** usesTypeInformation (the per-file key's test) over a config module's export, arrays included. */
function containsTypeAwareOptions(value: unknown, depth = 0): boolean {
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsTypeAwareOptions(v, depth + 1));
  return usesTypeInformation(value);
}
