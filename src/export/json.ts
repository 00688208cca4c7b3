// JSON text for exports that may reach a terminal, a log or a line-based reader: JSON.stringify
// escapes quotes, backslashes and C0 controls; DEL, C1 controls, line and paragraph separators and
// bidi controls are escaped here as \uXXXX too (valid JSON: they only occur inside strings).

const UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const uEscape = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** One value as JSON, pretty (two spaces) or on one line, ending with a line feed. */
export function jsonText(value: unknown, pretty = false): string {
  return `${JSON.stringify(value, null, pretty ? 2 : undefined).replace(UNSAFE, uEscape)}\n`;
}

/** JSON Lines: one value per line. */
export function jsonLines(values: readonly unknown[]): string {
  return values.map((v) => jsonText(v)).join("");
}
