/** On-disk facts are versioned constants: the layout is a contract. */
export const ENGINE_NAME = 'codebatch';
export const ENGINE_VERSION = '0.1.0';
/** Integer written to every record's schema_version (SPEC 13). */
export const SCHEMA_VERSION = 1;
/** Folded into every input-bundle hash; bump to invalidate all reuse after a semantic change. */
export const BUNDLE_SALT = 'codebatch.bundle.v1';
export const HASH_ALGORITHM = 'sha256';

export const PRODUCER = { name: ENGINE_NAME, version: ENGINE_VERSION } as const;

export function runtimeMajor(): string {
  return `node${process.versions.node.split('.')[0]}`;
}
