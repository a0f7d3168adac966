import path from 'node:path';
import { defineTask, type FileRunResult, type TaskContext, type TaskFile } from '../task-definition';
import { isFlatConfigFile, isRcConfigFile } from './config-files';
import { ConfigDigester, usesTypeInformation } from './config-key';
import type { EslintConfig } from './eslint-config';
import { eslintMeta } from './eslint-meta';
import { eslintConfigError, type LoadedEslint, loadWorkspaceEslint } from './load-eslint';
import { findWorkspacePackage } from './resolve-eslint';
import { toDiagnostics } from './to-diagnostics';
import { closureDigestsFor } from './type-closure-cache';

/** Per-process state for one analysed root: ESLint, config digests, per-file configs. */
interface EslintSession {
  loaded: LoadedEslint;
  digester: ConfigDigester;
  /** path -> whether ESLint lints it (not ignored, some config matches). */
  linted: Map<string, boolean>;
}

const sessions = new Map<string, Promise<EslintSession>>();

function openSession(ctx: TaskContext<EslintConfig>): Promise<EslintSession> {
  const root = ctx.snapshot.root;
  const lookupFromFile = (ctx.config.configLookup ?? 'file') === 'file';
  const key = `${root}\0${lookupFromFile}`;
  let session = sessions.get(key);
  if (!session) {
    const files = ctx.snapshot.files();
    const flat = files.some((f) => isFlatConfigFile(f.path)) || !files.some((f) => isRcConfigFile(f.path));
    session = loadWorkspaceEslint(root, { flat, lookupFromFile }).then((loaded) => ({
      loaded,
      digester: new ConfigDigester(root),
      linted: new Map(),
    }));
    sessions.set(key, session);
    session.catch(() => sessions.delete(key));
  }
  return session;
}

/**
 * 05_eslint: the analysed workspace's own ESLint, loaded once per worker, run file by file.
 * Records are ESLint's messages as diagnostics (code = rule id). A file's memo key covers the
 * configuration ESLint computes for it (plugins and parsers by name and version) and, when
 * that configuration asks for type information, the digest of everything its types depend on.
 */
export const eslintTask = defineTask<EslintConfig>({
  ...eslintMeta,
  async fileKeys(files, ctx) {
    const session = await openSession(ctx);
    const { eslint, version, flat } = session.loaded;
    const keys = new Map<string, unknown>();
    let typescript: string | null | undefined;
    for (const file of files) {
      const abs = path.join(ctx.snapshot.root, file.path);
      let config: unknown;
      try {
        config = file.isText ? await eslint.calculateConfigForFile(abs) : undefined;
        // eslintrc computes a config for any path: `eslint .` lints only its --ext extensions,
        // and its ignore files decide separately.
        if (config !== undefined && !flat) {
          const extensions = ctx.config.extensions ?? ['.js'];
          if (!extensions.some((ext) => file.path.endsWith(ext)) || (await eslint.isPathIgnored(abs)))
            config = undefined;
        }
      } catch (error) {
        // A file no config covers (only some folders have one: the configs of a monorepo's
        // packages, or of vendored code) is not linted, as `eslint` run in each of those
        // folders would not lint it; `eslint .` at the top would stop at it instead.
        if (!isNoConfigError(error)) throw eslintConfigError(error, ctx.snapshot.root);
        config = undefined;
      }
      session.linted.set(file.path, config !== undefined);
      if (config === undefined) {
        // Nothing is linted, whatever ESLint's version: the empty result is reusable as long as
        // the file stays ignored, which is decided afresh above on every execution.
        keys.set(file.path, { ignored: true });
        continue;
      }
      const key: Record<string, unknown> = { eslint: version, flat, config: session.digester.digest(config) };
      if (usesTypeInformation(config)) {
        typescript ??= findWorkspacePackage(ctx.snapshot.root, 'typescript')?.version ?? null;
        key.typescript = typescript;
        key.types = closureDigestsFor(ctx.snapshot, ctx.cacheDir).get(file.path) ?? null;
      }
      keys.set(file.path, key);
    }
    return keys;
  },
  async runFiles(files, ctx) {
    const session = await openSession(ctx);
    const results: FileRunResult[] = [];
    for (const file of files) results.push(await lintFile(session, file, ctx));
    return results;
  },
  runFile() {
    throw new Error('the eslint task runs through runFiles');
  },
});

/** ESLint's "no config for this file": flat config (config-file-missing) and eslintrc (no-config-found). */
function isNoConfigError(error: unknown): boolean {
  const template = (error as { messageTemplate?: unknown } | null)?.messageTemplate;
  return template === 'config-file-missing' || template === 'no-config-found';
}

async function lintFile(
  session: EslintSession,
  file: TaskFile,
  ctx: TaskContext<EslintConfig>,
): Promise<FileRunResult> {
  if (!file.isText || session.linted.get(file.path) === false) return { outputs: [] };
  const { eslint } = session.loaded;
  const abs = path.join(ctx.snapshot.root, file.path);
  try {
    const results = await eslint.lintText(file.text(), { filePath: abs, warnIgnored: false });
    const meta = eslint.getRulesMetaForResults(results);
    return { outputs: toDiagnostics(file.path, results[0], (ruleId) => meta[ruleId]?.docs?.url) };
  } catch (error) {
    // A rule that throws takes down ESLint's whole lintText call for this file only: record it
    // on the file, naming the rule, and go on with the shard.
    const message = error instanceof Error ? error.message : String(error);
    const rule = /Rule: "([^"]+)"/.exec(message)?.[1];
    return {
      crash: `ESLint ${rule ? `rule "${rule}" ` : ''}crashed on this file: ${message.split('\n')[0]}`,
    };
  }
}
