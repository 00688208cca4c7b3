// Maps JSON Pointers back to line and column in the YAML source, so that findings on plain values
// (schema errors, semantic checks) point at the exact key or value an engineer has to change.

import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type Pair } from "yaml";
import { fromPointer } from "../diagnostics/diagnostic.js";

export interface Position {
  line: number;
  column: number;
}

/**
 * The offset of the node at `pointer`: its value, its key (`target: "key"`), or the nearest existing
 * ancestor when the pointer names something absent (a missing required field points at its parent).
 */
export function locateOffset(
  doc: Document,
  pointer: string,
  target: "value" | "key" | "parent" = "value",
): number {
  const path = fromPointer(pointer);
  if (target === "parent") path.pop();
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string;
    if (isMap(node)) {
      const found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!found) break;
      pair = found;
      if (i === path.length - 1 && target === "key") return startOf(found.key as Node) ?? 0;
      node = found.value;
      if (node === null) return startOf(found.key as Node) ?? 0;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined || !/^\d+$/.test(seg)) break;
      pair = undefined;
      node = item;
    } else break;
  }
  if (isPair(node)) node = node.value;
  const start = startOf(node as Node);
  if (start !== undefined) return start;
  return (pair && startOf(pair.key as Node)) ?? 0;
}

function startOf(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

export function offsetToPosition(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line: Math.max(1, line), column: Math.max(1, col) };
}
