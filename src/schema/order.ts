// The order in which a schema lists the properties at a path: where the editor puts a new field.

import type { KeyOrder, PathKey } from "../yaml/edit.js";

type Schema = Record<string, unknown>;

export function keyOrderFrom(schema: Schema): KeyOrder {
  const defs = (schema.$defs ?? {}) as Record<string, Schema>;
  const deref = (s: Schema | undefined): Schema | undefined => {
    let cur = s;
    for (let i = 0; i < 8 && typeof cur?.$ref === "string"; i++) {
      const ref = cur.$ref as string;
      cur = ref.startsWith("#/$defs/") ? defs[ref.slice(8)] : undefined;
    }
    return cur;
  };
  return (mapPath: readonly PathKey[]) => {
    let s = deref(schema);
    for (const key of mapPath) {
      if (!s) return undefined;
      if (typeof key === "number") s = deref(s.items as Schema | undefined);
      else s = deref((s.properties as Record<string, Schema> | undefined)?.[key]);
    }
    const props = s?.properties as Record<string, unknown> | undefined;
    return props ? Object.keys(props) : undefined;
  };
}
