import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../util/hash';

/**
 * A digest of the configuration ESLint computed for one file, portable across machines:
 * plugins, parsers and processors become `name@version` (their code is what a version names),
 * functions without such an identity become a digest of their source, and absolute paths under
 * the analysed root become relative. Two files under the same config object share one digest,
 * so the cost is per distinct config, not per file.
 */
export class ConfigDigester {
  private readonly digests = new WeakMap<object, string>();
  private readonly identities = new WeakMap<object, string>();

  constructor(private readonly root: string) {}

  digest(config: unknown): string {
    if (config === null || typeof config !== 'object') return sha256Hex(JSON.stringify(config ?? null));
    let d = this.digests.get(config);
    if (!d) {
      d = sha256Hex(JSON.stringify(this.canonical(config, [])));
      this.digests.set(config, d);
    }
    return d;
  }

  private canonical(value: unknown, stack: object[], key?: string): unknown {
    if (value === undefined) return undefined;
    if (typeof value === 'string') return this.portable(value);
    if (typeof value === 'function') return `fn:${this.identityOf(value)}`;
    if (typeof value !== 'object' || value === null) return value;
    if (stack.includes(value)) return '[cycle]';
    if (key === 'plugins' && !Array.isArray(value)) {
      const out: Record<string, unknown> = {};
      for (const name of Object.keys(value).sort())
        out[name] = `plugin:${this.identityOf((value as Record<string, unknown>)[name], name)}`;
      return out;
    }
    if ((key === 'parser' || key === 'processor' || key === 'language') && hasMeta(value))
      return `${key}:${this.identityOf(value)}`;
    const next = [...stack, value];
    if (Array.isArray(value)) return value.map((v) => this.canonical(v, next) ?? null);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = this.canonical((value as Record<string, unknown>)[k], next, k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  /** `name@version` from the object's meta, else a digest of its code. */
  private identityOf(value: unknown, fallbackName = ''): string {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
    const cached = this.identities.get(value);
    if (cached) return cached;
    let id: string;
    const meta = (value as { meta?: { name?: unknown; version?: unknown } }).meta;
    if (meta && typeof meta.name === 'string' && typeof meta.version === 'string')
      id = `${meta.name}@${meta.version}`;
    else if (typeof value === 'function') id = sha256Hex(Function.prototype.toString.call(value));
    else id = `${fallbackName}#${sha256Hex(this.codeOf(value as Record<string, unknown>))}`;
    this.identities.set(value, id);
    return id;
  }

  /** The source of every function reachable from a plugin without meta (its rules' `create`). */
  private codeOf(value: Record<string, unknown>): string {
    const parts: string[] = [];
    const seen = new Set<unknown>();
    const visit = (v: unknown, depth: number) => {
      if (v === null || seen.has(v) || depth > 6) return;
      if (typeof v === 'function') {
        seen.add(v);
        parts.push(Function.prototype.toString.call(v));
        return;
      }
      if (typeof v !== 'object') {
        parts.push(JSON.stringify(v) ?? '');
        return;
      }
      seen.add(v);
      for (const k of Object.keys(v).sort()) {
        parts.push(k);
        visit((v as Record<string, unknown>)[k], depth + 1);
      }
    };
    visit(value, 0);
    return parts.join('\n');
  }

  /** eslintrc configs name parsers by absolute path: make them `name@version` or root-relative. */
  private portable(value: string): string {
    if (!path.isAbsolute(value)) return value;
    const pkg = packageOfPath(value);
    if (pkg) return `pkg:${pkg}`;
    const rel = path.relative(this.root, value);
    return rel.startsWith('..') ? value : `<root>/${rel.split(path.sep).join('/')}`;
  }
}

const versionCache = new Map<string, string | null>();

/** For a path inside node_modules: `name@version/inner/path` of the package holding it. */
function packageOfPath(p: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const i = p.lastIndexOf(marker);
  if (i < 0) return undefined;
  const rest = p.slice(i + marker.length).split(path.sep);
  const scoped = rest[0]?.startsWith('@');
  const nameParts = rest.slice(0, scoped ? 2 : 1);
  if (nameParts.length === 0 || !nameParts[0]) return undefined;
  const name = nameParts.join('/');
  const dir = path.join(p.slice(0, i + marker.length), ...nameParts);
  let version = versionCache.get(dir);
  if (version === undefined) {
    try {
      version = String(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version);
    } catch {
      version = null;
    }
    versionCache.set(dir, version);
  }
  if (version === null) return undefined;
  const inner = rest.slice(nameParts.length).join('/');
  return `${name}@${version}${inner ? `/${inner}` : ''}`;
}

function hasMeta(value: object): boolean {
  return (
    typeof (value as { meta?: unknown }).meta === 'object' ||
    typeof (value as { parse?: unknown }).parse === 'function' ||
    typeof (value as { parseForESLint?: unknown }).parseForESLint === 'function'
  );
}

/** Does the config give the parser type information (typescript-eslint's project or service)? */
export function usesTypeInformation(config: unknown): boolean {
  if (config === null || typeof config !== 'object') return false;
  const c = config as {
    languageOptions?: { parserOptions?: Record<string, unknown> };
    parserOptions?: Record<string, unknown>;
  };
  const options = c.languageOptions?.parserOptions ?? c.parserOptions;
  return Boolean(options && (options.project || options.projectService));
}
