/**
 * Bumped whenever what a closure digest covers changes, so that keys from an older rule never
 * match. Kept apart from the builder so that a reader of stored digest tables can name the
 * scheme without loading the compiler.
 */
const TYPE_CLOSURE_RULE = 'type-closure/1';

let scheme: string | undefined;

/**
 * The scheme a digest is computed under. The bundled compiler's resolver decides the edges, so
 * its version is part of it: read from its manifest, which is what `ts.version` reports.
 */
export function typeClosureScheme(): string {
  scheme ??= `${TYPE_CLOSURE_RULE}/typescript@${(require('typescript/package.json') as { version: string }).version}`;
  return scheme;
}
