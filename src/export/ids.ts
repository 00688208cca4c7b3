// Stable identifiers for exported records and events: the same input always gives the same id, so a
// consumer can drop what it has already seen when an export or an event stream is run again.

import { createHash } from "node:crypto";

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 in the URL namespace). `parts` are joined as a JSON
 * array, so no two different lists of parts give the same name.
 */
export function stableUuid(...parts: readonly string[]): string {
  const ns = Buffer.from("6ba7b8119dad11d180b400c04fd430c8", "hex");
  const h = createHash("sha1").update(ns).update(JSON.stringify(parts), "utf8").digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
