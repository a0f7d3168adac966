import type { TaskFile } from '../task-definition';

/** Languages the tasks parse. Everything else is treated as plain text (or skipped if binary). */
export type SourceLanguage = 'typescript' | 'javascript' | 'python';

const EXTENSION_LANGUAGE: Record<string, SourceLanguage> = {
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
};

/** Lower-cased extension including the dot (`.d.ts` is reported as `.ts`). */
export function extensionOf(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 ? path.slice(dot).toLowerCase() : '';
}

/**
 * Decided by extension, not by the snapshot's hint, so that the parse task and the tasks that
 * reuse its tree always agree on what a file is (the reference gave .mjs/.cjs/.mts/.cts no
 * language at all).
 */
export function detectSourceLanguage(path: string): SourceLanguage | undefined {
  return EXTENSION_LANGUAGE[extensionOf(path)];
}

/** The `lang` metric: our own source languages first, then the snapshot's hint, then `text`. */
export function languageLabel(file: Pick<TaskFile, 'path' | 'lang'>): string {
  return detectSourceLanguage(file.path) ?? file.lang ?? 'text';
}

/** `.d.ts`, `.d.mts`, `.d.cts` (and `.d.x.ts` declaration files for arbitrary extensions). */
export function isDeclarationFilePath(path: string): boolean {
  return /\.d\.([^/]*\.)?[mc]?ts$/i.test(path);
}
