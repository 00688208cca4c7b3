// Structural comparison of two parsed YAML values: where the fast path and the full parser disagree,
// named by the JSON pointer of the first differing node, so a disagreement can be reported precisely.

type Kind = "undefined" | "null" | "boolean" | "number" | "bigint" | "string" | "array" | "object" | "other";

function kindOf(v: unknown): Kind {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  const t = typeof v;
  if (t === "undefined" || t === "boolean" || t === "number" || t === "bigint" || t === "string") return t;
  if (t === "object") {
    const proto = Object.getPrototypeOf(v);
    // Only plain data is compared member by member; a Date, Map or class instance is compared by identity.
    return proto === Object.prototype || proto === null ? "object" : "other";
  }
  return "other";
}

/** One JSON pointer reference token (RFC 6901): `~` and `/` are escaped. */
function token(key: string | number): string {
  return String(key).replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * The JSON pointer (RFC 6901, "" for the root) of the first place where two plain values differ, or
 * undefined when they are equal. Mappings are compared without regard to key order (keys are visited
 * in sorted order, so the answer does not depend on which side is `a`); numbers are compared with
 * Object.is, so NaN equals NaN and -0 differs from 0; a value of another type differs at its own path.
 */
export function firstDifference(a: unknown, b: unknown): string | undefined {
  return diff(a, b, "");
}

function diff(a: unknown, b: unknown, path: string): string | undefined {
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return path;
  if (ka === "array") {
    const xa = a as unknown[];
    const xb = b as unknown[];
    const n = Math.min(xa.length, xb.length);
    for (let i = 0; i < n; i++) {
      const d = diff(xa[i], xb[i], `${path}/${i}`);
      if (d !== undefined) return d;
    }
    // The first element present on one side only.
    return xa.length === xb.length ? undefined : `${path}/${n}`;
  }
  if (ka === "object") {
    const oa = a as Record<string, unknown>;
    const ob = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort();
    for (const key of keys) {
      const sub = `${path}/${token(key)}`;
      if (!Object.hasOwn(oa, key) || !Object.hasOwn(ob, key)) return sub;
      const d = diff(oa[key], ob[key], sub);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : path;
}
