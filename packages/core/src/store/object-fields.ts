const OBJECT_FIELD = Buffer.from('"object":"sha256:');

/**
 * Calls `visit` with the hex of each `"object":"sha256:<hex>"` in `bytes` (index lines, files
 * index lines, as JSON.stringify writes them: no spaces) and the offset where the field starts,
 * without parsing a line; stops, returning false, at the first visit that returns false.
 */
export function everyObjectField(bytes: Buffer, visit: (hex: string, at: number) => boolean): boolean {
  for (
    let i = bytes.indexOf(OBJECT_FIELD);
    i !== -1;
    i = bytes.indexOf(OBJECT_FIELD, i + OBJECT_FIELD.length)
  ) {
    const start = i + OBJECT_FIELD.length;
    if (!visit(bytes.toString('latin1', start, start + 64), i)) return false;
  }
  return true;
}
