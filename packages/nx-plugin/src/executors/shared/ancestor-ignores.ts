import fs from 'node:fs';
import path from 'node:path';

/**
 * The engine honours the `.gitignore` files inside the directory it snapshots, not those above
 * it (so a tree gives the same snapshot wherever it is checked out). An Nx project is a
 * sub-folder of the workspace, and Nx leaves out of `{projectRoot}/**` every file that the
 * workspace's `.gitignore` files (and `.nxignore`) ignore: `dist/`, `*.tsbuildinfo`, ... If the
 * engine read those files, Nx would not hash them, and a cache hit could replay a result
 * computed from other bytes. So the ignore rules of the folders between the workspace root and
 * the project root become engine excludes.
 *
 * The translation errs on the side of excluding more (the engine then reads a subset of what Nx
 * hashes, which is always safe): negations (`!pattern`) are not applied, and a `dist/` rule
 * also excludes a file named `dist`. Anchored rules (`/out`, `packages/*\/build/`) apply when
 * their leading segments match the path from the ignore file's folder to the project root.
 */
export function ancestorIgnoreExcludes(workspaceRoot: string, projectRoot: string): string[] {
  const segments = projectRoot === '.' || projectRoot === '' ? [] : projectRoot.split('/');
  const out = new Set<string>();
  // Ignore files in the workspace root and each folder above the project root (not the project
  // root itself: the engine reads those).
  for (let depth = 0; depth < segments.length; depth++) {
    const dir = path.join(workspaceRoot, ...segments.slice(0, depth));
    const files = depth === 0 ? ['.gitignore', '.nxignore'] : ['.gitignore'];
    for (const name of files) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(dir, name), 'utf8');
      } catch {
        continue;
      }
      for (const glob of translateIgnoreRules(text, segments.slice(depth))) out.add(glob);
    }
  }
  return [...out].sort();
}

/**
 * The rules of one ignore file as engine exclude globs relative to a folder below it, reached
 * by `below` (path segments from the ignore file's folder). Exported for tests.
 */
export function translateIgnoreRules(text: string, below: readonly string[]): string[] {
  const globs: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const rule = raw.replace(/(?<!\\)\s+$/, '');
    if (rule === '' || rule.startsWith('#') || rule.startsWith('!')) continue;
    const glob = translateRule(rule.replace(/^\\([#!])/, '$1'), below);
    if (glob !== undefined) globs.push(glob);
  }
  return globs;
}

function translateRule(rule: string, below: readonly string[]): string | undefined {
  const body = rule.replace(/\/+$/, '');
  if (body === '' || body === '/') return undefined;
  const anchored = body.includes('/');
  const pattern = body.replace(/^\/+/, '');
  // Unanchored: matches a name at any depth, which is what a slash-less engine glob does.
  if (!anchored) return pattern;
  const parts = pattern.split('/');
  // `**/x` at the start matches at any depth, so it applies below as it is.
  if (parts[0] === '**') return parts.length > 1 ? parts.join('/') : undefined;
  let i = 0;
  for (; i < below.length; i++) {
    const part = parts[i];
    if (part === undefined) return undefined; // the rule names the project root or a folder above it
    if (part === '**') return parts.slice(i).join('/'); // any depth from here: keep the rest
    if (!segmentMatches(part, below[i]!)) return undefined; // about another folder
  }
  return i < parts.length ? parts.slice(i).join('/') : undefined;
}

/** One path segment against one gitignore segment (`*`, `?`, `[...]`). */
function segmentMatches(glob: string, segment: string): boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      re += glob[i + 1]!.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
      i++;
    } else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(segment);
}
