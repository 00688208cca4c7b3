// The one diagnostic type every check produces, and helpers to build and order diagnostics.

import { CODES, type Code, type Severity } from "./codes.js";

export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like most editors. */
  column: number;
  /** JSON Pointer (RFC 6901) into the document, "" for the whole file. */
  pointer: string;
}

/** A finding before it has a position: checks on plain values speak in pointers only. */
export interface Finding {
  code: Code;
  message: string;
  pointer: string;
  /** Where to point: the value (default), the key of the member, or the parent that lacks it. */
  target?: "value" | "key" | "parent";
}

export function makeDiagnostic(
  code: Code,
  message: string,
  file: string,
  pos: { line: number; column: number; pointer?: string },
): Diagnostic {
  return {
    code,
    severity: CODES[code].severity,
    message,
    file,
    line: pos.line,
    column: pos.column,
    pointer: pos.pointer ?? "",
  };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

export function toPointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

export function fromPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}
