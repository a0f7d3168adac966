/**
 * Code points that change what a terminal or log viewer shows beyond the character itself:
 * C0 controls (newline, carriage return, ESC, ...), DEL, C1 controls (0x9b is a one-byte CSI
 * on some terminals), the Unicode line and paragraph separators, and the bidirectional
 * controls that reorder displayed text ("Trojan Source", CVE-2021-42574).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCodePoint(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes untrusted text (a file name, a diagnostic message, an error from a task) safe to print
 * inside one line of human-readable output. A POSIX file name may hold any byte but NUL and
 * `/`: a newline in it would print a fake diagnostic line below the real one, a carriage
 * return would overwrite the line, an ESC sequence would recolour the terminal, move the
 * cursor or set its title. Each such code point becomes a visible escape (`\n`, `\r`, `\t`,
 * `\x1b`, `\u202e`), so the output has exactly the lines the renderer meant.
 *
 * Backslashes are kept as they are: the goal is output that cannot be forged, not a reversible
 * encoding (the `--json` output is the exact form), and doubling them would garble paths and
 * messages that quote a regular expression. A consequence worth knowing: the result contains
 * no unsafe code point, so escaping twice changes nothing, and renderers may escape a field
 * and then the whole line.
 * @param text any string
 * @returns the string with every control, separator and bidi code point escaped
 */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, escapeCodePoint);
}
