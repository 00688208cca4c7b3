// STIX 2.1 bundles of security incidents: the incident (STIX's incident object is a stub: name,
// description, references), its indicators as STIX patterns, its ATT&CK techniques as attack
// patterns, a named actor as a threat actor, each linked to the incident, all under the record's TLP
// 2.0 marking. Pure; ids are name-based UUIDs, so the same record gives the same bundle.

import type { Incident, SecurityBlock, Tlp } from "../model/types.js";
import { stableUuid } from "./ids.js";
import { isSecurityIncident } from "./veris.js";

export type StixObject = Record<string, unknown> & { type: string; id: string };
export interface StixBundle {
  type: "bundle";
  id: string;
  objects: StixObject[];
}

export type StixResult = { bundle: StixBundle } | { skipped: string };

const TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/** The TLP 2.0 marking definitions as OASIS publishes them (cti-stix-common-objects, tlp-2.0). */
const TLP_MARKINGS: Readonly<Record<Tlp, string>> = {
  clear: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
  green: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
  amber: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
  "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
  red: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};

/** The published TLP 2.0 marking-definition object of a level. */
export function tlpMarking(tlp: Tlp): StixObject {
  return {
    type: "marking-definition",
    spec_version: "2.1",
    id: TLP_MARKINGS[tlp],
    created: "2022-10-01T00:00:00.000Z",
    name: `TLP:${tlp.toUpperCase()}`,
    extensions: { [TLP_EXTENSION]: { extension_type: "property-extension", tlp_2_0: tlp } },
  };
}

type IndicatorType = NonNullable<SecurityBlock["indicators"]>[number]["type"];

/** The STIX object path each indicator type is matched on; `other` has none and is not exported. */
const PATTERN_PATHS: Readonly<Record<IndicatorType, string | undefined>> = {
  ipv4: "ipv4-addr:value",
  ipv6: "ipv6-addr:value",
  domain: "domain-name:value",
  url: "url:value",
  email: "email-addr:value",
  sha256: "file:hashes.'SHA-256'",
  sha1: "file:hashes.'SHA-1'",
  md5: "file:hashes.MD5",
  file_name: "file:name",
  user_agent: "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'",
  account: "user-account:account_login",
  other: undefined,
};

/** A string literal of STIX patterning: quotes and backslashes escaped with a backslash. */
export function patternString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A STIX timestamp: UTC, milliseconds, `Z`. */
function stixTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Every time the record holds, as milliseconds. */
function recordTimes(inc: Incident): number[] {
  const times = [...Object.values(inc.timestamps ?? {}), ...(inc.timeline ?? []).map((e) => e.at)].map((t) =>
    typeof t === "string" ? Date.parse(t) : Number.NaN,
  );
  return times.filter((t) => Number.isFinite(t));
}

const ATTACK_ID = /^T\d{4}(?:\.\d{3})?$/;

/**
 * The STIX 2.1 bundle of a security incident, or why it is not exported (as for VERIS: not a
 * `sec.*` incident, a duplicate, or no time to date it by).
 */
export function toStix(inc: Incident): StixResult {
  if (!isSecurityIncident(inc)) return { skipped: "no sec.* category" };
  if (inc.determination === "duplicate") {
    const of = inc.related?.duplicate_of;
    return { skipped: of ? `a duplicate of ${of}` : "a duplicate" };
  }
  const ts = inc.timestamps ?? {};
  const createdMs = Date.parse(ts.declared_at ?? ts.detected_at ?? ts.impact_started_at ?? "");
  if (!Number.isFinite(createdMs)) return { skipped: "no declaration, detection or impact start time" };
  const created = stixTime(createdMs);
  // The record's latest time is its version: a later change to the record makes a later `modified`.
  const modified = stixTime(Math.max(createdMs, ...recordTimes(inc)));
  const id = (type: string, ...parts: string[]) =>
    `${type}--${stableUuid("incident-as-code", "stix", inc.id, ...parts)}`;
  const marking = inc.tlp ? tlpMarking(inc.tlp) : undefined;
  const common = {
    spec_version: "2.1",
    created,
    modified,
    ...(marking ? { object_marking_refs: [marking.id] } : {}),
  };

  const incidentId = id("incident");
  const references: Array<Record<string, string>> = [
    { source_name: "incident-as-code", external_id: inc.id },
  ];
  for (const ref of inc.external_refs ?? []) {
    references.push({
      source_name: ref.type,
      url: ref.url,
      ...(ref.title ? { description: ref.title } : {}),
    });
  }
  const incident: StixObject = {
    type: "incident",
    id: incidentId,
    ...common,
    name: inc.title,
    ...(inc.summary ? { description: inc.summary } : {}),
    ...(inc.categories && inc.categories.length > 0 ? { labels: inc.categories } : {}),
    external_references: references,
  };
  const objects: StixObject[] = [];
  if (marking) objects.push(marking);
  objects.push(incident);

  const relate = (sourceRef: string, targetRef: string) => {
    objects.push({
      type: "relationship",
      id: id("relationship", sourceRef, targetRef),
      ...common,
      relationship_type: "related-to",
      source_ref: sourceRef,
      target_ref: targetRef,
    });
  };

  (inc.security?.indicators ?? []).forEach((indicator, i) => {
    const path = PATTERN_PATHS[indicator.type];
    if (path === undefined) return;
    const indicatorId = id("indicator", String(i), indicator.type, indicator.value);
    objects.push({
      type: "indicator",
      id: indicatorId,
      ...common,
      name: indicator.value,
      ...(indicator.note ? { description: indicator.note } : {}),
      pattern: `[${path} = ${patternString(indicator.value)}]`,
      pattern_type: "stix",
      valid_from: created,
    });
    relate(indicatorId, incidentId);
  });

  const techniques = [...new Set(inc.security?.techniques ?? [])].filter((t) => ATTACK_ID.test(t));
  for (const technique of techniques) {
    const patternId = id("attack-pattern", technique);
    objects.push({
      type: "attack-pattern",
      id: patternId,
      ...common,
      name: technique,
      external_references: [
        {
          source_name: "mitre-attack",
          external_id: technique,
          url: `https://attack.mitre.org/techniques/${technique.replace(".", "/")}/`,
        },
      ],
    });
    relate(incidentId, patternId);
  }

  const actor = inc.security?.actor;
  if (actor?.name) {
    const actorId = id("threat-actor");
    objects.push({
      type: "threat-actor",
      id: actorId,
      ...common,
      name: actor.name,
      // The record's actor type (external, insider, partner) is not one of STIX's threat actor types.
      description: [`${actor.type} actor`, actor.motive].filter(Boolean).join("; "),
    });
    relate(incidentId, actorId);
  }

  return { bundle: { type: "bundle", id: id("bundle"), objects } };
}
