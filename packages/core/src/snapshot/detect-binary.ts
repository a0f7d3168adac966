import { isUtf8 } from 'node:buffer';

/** How much of a file the text/binary decision looks at (git looks at 8000 bytes for NUL). */
export const TEXT_SNIFF_BYTES = 8192;

/**
 * A file is text when its first 8 KiB contain no NUL byte and are valid UTF-8 (a BOM is fine).
 * Anything else (images, archives, UTF-16, Latin-1 sources) is recorded `text: false`, so text
 * tasks (lint, metrics) skip it rather than misreport it. Only the head is examined to keep the
 * cost flat: a multi-megabyte text file with a stray bad byte late on still counts as text.
 */
export function isProbablyText(bytes: Uint8Array): boolean {
  const truncated = bytes.length > TEXT_SNIFF_BYTES;
  let head = truncated ? bytes.subarray(0, TEXT_SNIFF_BYTES) : bytes;
  if (head.indexOf(0) !== -1) return false;
  if (isUtf8(head)) return true;
  if (!truncated) return false;
  // The cut may split a multi-byte character; drop an incomplete (but well-formed) tail.
  head = head.subarray(0, head.length - incompleteTailLength(head));
  return isUtf8(head);
}

/** Length (0-3) of a trailing, well-formed but unfinished UTF-8 sequence. */
function incompleteTailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back += 1) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    return need > back ? back : 0;
  }
  return 0;
}
