// STIX 2.1 export, in-process: every bundle validates against the OASIS STIX 2.1 JSON Schemas (the
// security incidents of the example corpus and hand-made records), TLP 2.0 markings are the
// published objects, patterns escape hostile values, and ids are stable.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { jsonLines } from "../src/export/json.js";
import { patternString, type StixBundle, type StixObject, tlpMarking, toStix } from "../src/export/stix.js";
import { isSecurityIncident } from "../src/export/veris.js";
import type { Incident } from "../src/model/types.js";
import { repoRoot } from "./helpers/cli.js";

const SCHEMAS = join(repoRoot, "test/fixtures/stix-2.1/schemas");
// The OASIS schemas use escapes such as `\-` that unicode-mode regular expressions refuse.
const ajv = new Ajv2020.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
function addAll(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) addAll(path);
    else if (name.endsWith(".json")) ajv.addSchema(JSON.parse(readFileSync(path, "utf8")) as object);
  }
}
addAll(SCHEMAS);
const BASE = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas";
const FOLDER: Record<string, string> = {
  incident: "sdos",
  indicator: "sdos",
  "attack-pattern": "sdos",
  "threat-actor": "sdos",
  relationship: "sros",
  "marking-definition": "common",
};

/**
 * Each object against the OASIS schema of its type, and the bundle's own fields. Not through
 * common/bundle.json: its list of object types lacks `incident` (added in 2.1), so an incident falls
 * to its custom-object branch, which refuses any object both core schemas accept.
 */
function expectValid(bundle: StixBundle): void {
  expect(bundle.type).toBe("bundle");
  expect(bundle.id).toMatch(/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(bundle.objects.length).toBeGreaterThan(0);
  for (const o of bundle.objects) expectObject(o);
}

function expectObject(o: StixObject): void {
  const validate = ajv.getSchema(`${BASE}/${FOLDER[o.type]}/${o.type}.json`);
  expect(validate, `a schema for ${o.type}`).toBeDefined();
  expect(validate?.(o), `${o.id}: ${JSON.stringify(validate?.errors?.slice(0, 5), null, 1)}`).toBe(true);
}

function exported(inc: Incident): StixBundle {
  const result = toStix(inc);
  if ("skipped" in result) throw new Error(`skipped: ${result.skipped}`);
  expectValid(result.bundle);
  return result.bundle;
}

const byType = (b: StixBundle, type: string) => b.objects.filter((o) => o.type === type);

const corpus: Incident[] = ["incidents/2025", "incidents/2026"].flatMap((dir) =>
  readdirSync(join(repoRoot, dir))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => parse(readFileSync(join(repoRoot, dir, f), "utf8")) as Incident),
);

function secIncident(over: Partial<Incident> = {}): Incident {
  return {
    schema_version: 1,
    id: "INC-2026-0100",
    title: "Test security incident",
    status: "in_progress",
    determination: "confirmed",
    categories: ["sec.intrusion"],
    timestamps: { detected_at: "2026-03-01T10:30:00Z", declared_at: "2026-03-01T10:35:00Z" },
    timeline: [{ at: "2026-03-01T11:00:00+01:00", type: "note", text: "x" }],
    ...over,
  };
}

describe("the STIX schema set-up", () => {
  it("refuses malformed objects, so a pass means something", () => {
    const bundle = exported(
      secIncident({ security: { indicators: [{ type: "ipv4", value: "192.0.2.1" }] } }),
    );
    for (const o of bundle.objects) {
      const validate = ajv.getSchema(`${BASE}/${FOLDER[o.type]}/${o.type}.json`);
      expect(validate?.({ ...o, created: "yesterday" }), o.type).toBe(false);
      expect(validate?.({ ...o, id: `${o.type}--not-a-uuid` }), o.type).toBe(false);
    }
    const [indicator] = byType(bundle, "indicator");
    const { pattern: _, ...noPattern } = indicator as StixObject;
    expect(ajv.getSchema(`${BASE}/sdos/indicator.json`)?.(noPattern)).toBe(false);
  });
});

describe("the example corpus", () => {
  const security = corpus.filter(isSecurityIncident);
  it.each(security.map((i) => [i.id, i] as const))("%s exports a valid STIX bundle", (id, inc) => {
    const bundle = exported(inc);
    const [incident] = byType(bundle, "incident");
    expect(incident?.external_references).toContainEqual({
      source_name: "incident-as-code",
      external_id: id,
    });
  });

  it("INC-2026-0017: its indicators, its technique and its TLP:AMBER+STRICT marking", () => {
    const bundle = exported(corpus.find((i) => i.id === "INC-2026-0017") as Incident);
    expect(byType(bundle, "indicator").map((o) => o.pattern)).toEqual([
      "[ipv4-addr:value = '203.0.113.201']",
      "[ipv4-addr:value = '203.0.113.202']",
      "[ipv4-addr:value = '198.51.100.19']",
    ]);
    expect(byType(bundle, "attack-pattern").map((o) => o.external_references)).toEqual([
      [
        {
          source_name: "mitre-attack",
          external_id: "T1530",
          url: "https://attack.mitre.org/techniques/T1530/",
        },
      ],
    ]);
    expect(byType(bundle, "relationship")).toHaveLength(4);
    const marking = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    expect(byType(bundle, "marking-definition").map((o) => o.id)).toEqual([marking]);
    for (const o of bundle.objects.filter((x) => x.type !== "marking-definition"))
      expect(o.object_marking_refs).toEqual([marking]);
  });
});

describe("objects", () => {
  it("the incident: name, description, labels, references; created at declaration, modified at the latest time", () => {
    const bundle = exported(
      secIncident({
        summary: "What happened.",
        external_refs: [{ type: "ticket", url: "https://tickets.example/SEC-1", title: "SEC-1" }],
      }),
    );
    expect(byType(bundle, "incident")[0]).toMatchObject({
      spec_version: "2.1",
      name: "Test security incident",
      description: "What happened.",
      labels: ["sec.intrusion"],
      created: "2026-03-01T10:35:00.000Z",
      modified: "2026-03-01T10:35:00.000Z",
      external_references: [
        { source_name: "incident-as-code", external_id: "INC-2026-0100" },
        { source_name: "ticket", url: "https://tickets.example/SEC-1", description: "SEC-1" },
      ],
    });
    const later = exported(
      secIncident({ timeline: [{ at: "2026-03-02T08:00:00Z", type: "note", text: "x" }] }),
    );
    expect(byType(later, "incident")[0]?.modified).toBe("2026-03-02T08:00:00.000Z");
  });

  it.each([
    ["ipv4", "192.0.2.1", "[ipv4-addr:value = '192.0.2.1']"],
    ["ipv6", "2001:db8::1", "[ipv6-addr:value = '2001:db8::1']"],
    ["domain", "bad.example", "[domain-name:value = 'bad.example']"],
    ["url", "https://bad.example/x", "[url:value = 'https://bad.example/x']"],
    ["email", "a@bad.example", "[email-addr:value = 'a@bad.example']"],
    ["sha256", "ab".repeat(32), `[file:hashes.'SHA-256' = '${"ab".repeat(32)}']`],
    ["sha1", "ab".repeat(20), `[file:hashes.'SHA-1' = '${"ab".repeat(20)}']`],
    ["md5", "ab".repeat(16), `[file:hashes.MD5 = '${"ab".repeat(16)}']`],
    ["file_name", "invoice.pdf.exe", "[file:name = 'invoice.pdf.exe']"],
    [
      "user_agent",
      "curl/8.0",
      "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'curl/8.0']",
    ],
    ["account", "svc-backup", "[user-account:account_login = 'svc-backup']"],
  ] as const)("indicator %s", (type, value, pattern) => {
    const bundle = exported(secIncident({ security: { indicators: [{ type, value, note: "seen" }] } }));
    const [indicator] = byType(bundle, "indicator");
    expect(indicator).toMatchObject({ pattern, pattern_type: "stix", name: value, description: "seen" });
    expect(byType(bundle, "relationship")[0]).toMatchObject({
      relationship_type: "related-to",
      source_ref: indicator?.id,
      target_ref: byType(bundle, "incident")[0]?.id,
    });
  });

  it("an indicator of type other has no STIX pattern and is left out", () => {
    const bundle = exported(secIncident({ security: { indicators: [{ type: "other", value: "x" }] } }));
    expect(byType(bundle, "indicator")).toEqual([]);
  });

  it("techniques as attack patterns (sub-techniques with their URL), a named actor as a threat actor", () => {
    const bundle = exported(
      secIncident({
        security: {
          techniques: ["T1566.002", "T1566.002"],
          actor: { type: "external", name: "FIN7", motive: "Financial gain" },
        },
      }),
    );
    expect(
      byType(bundle, "attack-pattern").map((o) => (o.external_references as Array<{ url: string }>)[0]?.url),
    ).toEqual(["https://attack.mitre.org/techniques/T1566/002/"]);
    expect(byType(bundle, "threat-actor")).toMatchObject([
      { name: "FIN7", description: "external actor; Financial gain" },
    ]);
    expect(
      exported(secIncident({ security: { actor: { type: "unknown" } } })).objects.map((o) => o.type),
    ).toEqual(["incident"]);
  });

  it.each(["clear", "green", "amber", "amber+strict", "red"] as const)(
    "TLP:%s is the published TLP 2.0 marking",
    (tlp) => {
      const bundle = exported(secIncident({ tlp }));
      expect(bundle.objects[0]).toEqual(tlpMarking(tlp));
      expect(bundle.objects[0]).toMatchObject({
        name: `TLP:${tlp.toUpperCase()}`,
        created: "2022-10-01T00:00:00.000Z",
        extensions: {
          "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            extension_type: "property-extension",
            tlp_2_0: tlp,
          },
        },
      });
    },
  );

  it("the published marking ids", () => {
    expect(
      (["clear", "green", "amber", "amber+strict", "red"] as const).map((t) => tlpMarking(t).id),
    ).toEqual([
      "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
      "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
      "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
      "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
      "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    ]);
  });

  it("ids are stable per record and differ between records", () => {
    const ids = (b: StixBundle) => b.objects.map((o: StixObject) => o.id);
    const inc = secIncident({
      security: { techniques: ["T1078"], indicators: [{ type: "ipv4", value: "192.0.2.1" }] },
    });
    expect(ids(exported(inc))).toEqual(ids(exported(inc)));
    const other = ids(exported({ ...inc, id: "INC-2026-0101" }));
    expect(other.filter((i) => ids(exported(inc)).includes(i))).toEqual([]);
  });

  it("skips what VERIS skips", () => {
    expect(toStix(secIncident({ categories: ["ops.change"] }))).toEqual({ skipped: "no sec.* category" });
    expect(toStix(secIncident({ determination: "duplicate" }))).toEqual({ skipped: "a duplicate" });
    expect("skipped" in toStix(secIncident({ timestamps: {} }))).toBe(true);
  });
});

describe("hostile values", () => {
  it("a quote or backslash cannot end the pattern's string early", () => {
    expect(patternString("a'b\\c")).toBe("'a\\'b\\\\c'");
    const value = "x' OR [file:name = 'y";
    const bundle = exported(secIncident({ security: { indicators: [{ type: "domain", value }] } }));
    const pattern = byType(bundle, "indicator")[0]?.pattern as string;
    // One comparison, whose literal reads back as the value.
    const m = /^\[domain-name:value = '((?:[^'\\]|\\.)*)'\]$/.exec(pattern);
    expect(m).not.toBeNull();
    expect(((m as RegExpExecArray)[1] as string).replace(/\\(.)/g, "$1")).toBe(value);
  });

  it("titles and notes stay inside their JSON strings, one bundle per line", () => {
    const nasty = 'q" \\ \n \u2028 \u202e </script>';
    const bundle = exported(secIncident({ title: nasty, summary: nasty }));
    const text = jsonLines([bundle, bundle]);
    expect(text.split("\n")).toHaveLength(3);
    expect(JSON.parse(text.split("\n")[0] as string)).toEqual(bundle);
  });
});
