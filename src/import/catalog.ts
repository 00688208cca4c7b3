// Resolving the services, people and teams a source names to the config's ids and handles. What the
// config does not know is never invented into a record silently: it becomes an offer (a config
// addition the user sees as a diff) and, until accepted, the value is left out and reported. Pure.

import type { Config } from "../config/types.js";
import { type Obj, type Offer, own, str } from "./types.js";

export interface Resolved {
  value?: string;
  /** Why there is no value, for the summary of what was not mapped. */
  reason?: string;
}

/** A lowercase id from a name: `Checkout API` -> `checkout-api`. */
export function slug(name: string, max = 64): string | undefined {
  const s = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^a-z0-9]+|[-._]+$/g, "")
    .slice(0, max)
    .replace(/[-._]+$/g, "");
  return /^[a-z0-9][a-z0-9._-]*$/.test(s) ? s : undefined;
}

/** A person's handle from an e-mail's local part or a name: `Ada Lovelace` -> `ada.lovelace`. */
export function handleFrom(email: string | undefined, name: string | undefined): string | undefined {
  const base = email?.split("@")[0] ?? name?.toLowerCase().replace(/\s+/g, ".");
  if (!base) return undefined;
  const h = base
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 39);
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,38}$/.test(h) ? h : undefined;
}

const lower = (s: string | undefined) => s?.toLowerCase();

export class Catalog {
  private readonly offered = new Map<string, Offer>();

  constructor(
    private readonly config: Config,
    /** The mapping's own name -> id tables, which win over the config lookup. */
    private readonly maps: { services?: Obj; people?: Obj } = {},
  ) {}

  get offers(): Offer[] {
    return [...this.offered.values()];
  }

  private offer(list: Offer["list"], key: string, entry: Obj, from: string): void {
    const k = `${list}\u0000${key}`;
    if (!this.offered.has(k)) this.offered.set(k, { list, entry, from });
  }

  /** A service named in the source, by the mapping's table, the config's id or name, or its slug. */
  service(name: string, from: string): Resolved {
    const mapped = str(own(this.maps.services, name));
    if (mapped) return { value: mapped };
    const id = slug(name);
    const known = this.config.services.find(
      (s) => s.id === name || s.id === id || lower(s.name) === lower(name),
    );
    if (known) return { value: known.id };
    if (!id) return { reason: `service \`${name}\` has no usable id (lowercase letters, digits, . _ -)` };
    // An empty catalog means services are not managed in the config: any id is accepted.
    if (this.config.services.length === 0) return { value: id };
    this.offer("services", id, { id, name }, from);
    return {
      reason: `service \`${name}\` is not in the config; offered as \`${id}\` (--write-config adds it)`,
    };
  }

  /** A person met in the source, by the mapping's table, e-mail, GitHub login, handle or name. */
  person(p: { email?: string; name?: string; login?: string }, from: string): Resolved {
    for (const key of [p.email, p.login, p.name]) {
      const mapped = key ? str(own(this.maps.people, key)) : undefined;
      if (mapped) return { value: mapped };
    }
    const known = this.config.people.find(
      (x) =>
        (p.email && lower(x.email) === lower(p.email)) ||
        (p.login && (lower(x.github) === lower(p.login) || x.handle === p.login)) ||
        (p.name && lower(x.name) === lower(p.name)),
    );
    if (known) return { value: known.handle };
    const handle = handleFrom(p.email, p.name ?? p.login);
    const who = p.name ?? p.email ?? p.login ?? "someone";
    if (!handle) return { reason: `person \`${who}\` has no usable handle` };
    if (this.config.people.length === 0) return { value: handle };
    // Never offer a handle the config already gives someone: merging would rewrite that person.
    if (this.config.people.some((x) => x.handle === handle))
      return {
        reason: `person \`${who}\` is not in the config and the handle \`${handle}\` belongs to someone else; add their e-mail to that person or map them under \`people\` in the mapping`,
      };
    const entry: Obj = { handle, name: p.name ?? handle };
    if (p.email) entry.email = p.email;
    if (p.login) entry.github = p.login;
    this.offer("people", handle, entry, from);
    return {
      reason: `person \`${who}\` is not in the config; offered as \`${handle}\` (--write-config adds them)`,
    };
  }

  /** A team met in the source: offered when the config does not know it (records name no teams). */
  team(name: string, from: string): void {
    const id = slug(name);
    if (!id) return;
    if (this.config.teams.some((t) => t.id === id || lower(t.name) === lower(name))) return;
    this.offer("teams", id, { id, name }, from);
  }
}
