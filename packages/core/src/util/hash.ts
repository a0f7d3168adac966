import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * node:crypto, not @noble/hashes, on the hot path: measured here at about 1,300 MB/s against
 * 74 MB/s (SHA extensions). @noble/hashes serves as the independent oracle in tests.
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256OfCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export const OBJECT_REF_PREFIX = 'sha256:';
const HEX64 = /^[a-f0-9]{64}$/;

export function toObjectRef(hex: string): string {
  return `${OBJECT_REF_PREFIX}${hex}`;
}

/** Accepts `sha256:<hex>` or a bare hex digest; returns the hex or undefined when malformed. */
export function parseObjectRef(ref: string): string | undefined {
  const hex = ref.startsWith(OBJECT_REF_PREFIX) ? ref.slice(OBJECT_REF_PREFIX.length) : ref;
  return HEX64.test(hex) ? hex : undefined;
}

export function isHexDigest(value: string): boolean {
  return HEX64.test(value);
}
