import ts from 'typescript';
import { isJavaScriptFilePath } from './paths';

/** What a file names outside itself, as written, each list sorted and without duplicates. */
export interface ImportScan {
  /** `import`, `import type`, `export ... from`, `import()`, `require()`, `import x = require()`. */
  readonly modules: readonly string[];
  /** `/// <reference path="..." />` */
  readonly referencePaths: readonly string[];
  /** `/// <reference types="..." />` */
  readonly typeReferences: readonly string[];
  /** `/// <reference lib="..." />`: no file of ours, but part of what the file asks for. */
  readonly libReferences: readonly string[];
}

/**
 * JSDoc types in checked JS (`@type {import('./x').T}`, `@import {T} from './x'`) are
 * imports for the checker but comments for `preProcessFile`. A textual scan may over-report
 * (an extra edge only widens the key); it must not under-report.
 */
const JSDOC_IMPORT_TYPE = /\bimport\s*\(\s*(['"`])([^'"`\r\n]+)\1\s*\)/g;
const JSDOC_IMPORT_TAG = /@import\b[^'"\r\n]*?\bfrom\s*(['"])([^'"\r\n]+)\1/g;

export function scanImports(path: string, text: string): ImportScan {
  const info = ts.preProcessFile(text, true, true);
  const modules = new Set(info.importedFiles.map((f) => f.fileName));
  if (isJavaScriptFilePath(path) && text.includes('import')) {
    for (const m of text.matchAll(JSDOC_IMPORT_TYPE)) modules.add(m[2]!);
    for (const m of text.matchAll(JSDOC_IMPORT_TAG)) modules.add(m[2]!);
  }
  return {
    modules: sortedUnique(modules),
    referencePaths: sortedUnique(info.referencedFiles.map((f) => f.fileName)),
    typeReferences: sortedUnique(info.typeReferenceDirectives.map((f) => f.fileName)),
    libReferences: sortedUnique(info.libReferenceDirectives.map((f) => f.fileName.toLowerCase())),
  };
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
