// VERIS 1.4.1 export, in-process: every security incident of the example corpus and a hand-made
// record for each mapping branch validate against the official VERIS schema (draft-04), and each
// branch maps to the VERIS values docs/export.md promises.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { jsonLines, jsonText } from "../src/export/json.js";
import { durationBucket, isSecurityIncident, toVeris, type VerisRecord } from "../src/export/veris.js";
import type { DetectionMethod, Incident } from "../src/model/types.js";
import { repoRoot } from "./helpers/cli.js";

const schema = JSON.parse(
  readFileSync(join(repoRoot, "test/fixtures/veris-1.4.1/verisc-merged.json"), "utf8"),
) as object;
const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function expectValid(record: VerisRecord): void {
  const ok = validate(record);
  expect(ok, JSON.stringify(validate.errors, null, 1)).toBe(true);
}

function exported(inc: Incident): VerisRecord {
  const result = toVeris(inc);
  if ("skipped" in result) throw new Error(`skipped: ${result.skipped}`);
  expectValid(result.record);
  return result.record;
}

const corpus: Incident[] = ["incidents/2025", "incidents/2026"].flatMap((dir) =>
  readdirSync(join(repoRoot, dir))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => parse(readFileSync(join(repoRoot, dir, f), "utf8")) as Incident),
);

/** A minimal valid security incident; each test changes what its branch needs. */
function secIncident(over: Partial<Incident> = {}): Incident {
  return {
    schema_version: 1,
    id: "INC-2026-0100",
    title: "Test security incident",
    status: "in_progress",
    determination: "confirmed",
    categories: ["sec.intrusion"],
    timestamps: {
      impact_started_at: "2026-03-01T10:00:00Z",
      detected_at: "2026-03-01T10:30:00Z",
      declared_at: "2026-03-01T10:35:00Z",
      contained_at: "2026-03-01T12:30:00Z",
    },
    timeline: [],
    ...over,
  };
}

describe("the VERIS schema set-up", () => {
  it("refuses a record without the required fields, so a pass means something", () => {
    expect(validate({ schema_version: "1.4.1" })).toBe(false);
    expect(validate({ ...exported(secIncident()), security_incident: "Maybe" })).toBe(false);
  });
});

describe("the example corpus", () => {
  const security = corpus.filter(isSecurityIncident);

  it("has security and operational incidents", () => {
    expect(security.length).toBeGreaterThanOrEqual(5);
    expect(corpus.length - security.length).toBeGreaterThanOrEqual(5);
  });

  it.each(security.map((i) => [i.id, i] as const))("%s exports a valid VERIS record", (id, inc) => {
    const record = exported(inc);
    expect(record.incident_id).toBe(id);
    expect(record.schema_version).toBe("1.4.1");
  });

  it("skips every incident without a sec.* category", () => {
    for (const inc of corpus.filter((i) => !isSecurityIncident(i))) {
      expect(toVeris(inc)).toEqual({ skipped: "no sec.* category" });
    }
  });

  it("maps INC-2026-0017 (a confirmed data exposure) as its record says", () => {
    const record = exported(corpus.find((i) => i.id === "INC-2026-0017") as Incident);
    expect(record.security_incident).toBe("Confirmed");
    expect(record.confidence).toBe("High");
    expect(record.discovery_method).toEqual({ external: { variety: ["Unrelated 3rd party"] } });
    expect(record.timeline).toMatchObject({
      incident: { year: 2026, month: 10, day: 6, time: "03:32:00 PM" },
      discovery: { unit: "Months", value: 1.5 },
      containment: { unit: "Minutes", value: 37 },
    });
    expect(record.attribute).toMatchObject({
      confidentiality: { data_disclosure: "Yes", data_total: 18412, data_victim: ["Customer"] },
    });
    expect((record.action as Record<string, unknown>).hacking).toMatchObject({
      variety: ["Exploit misconfig"],
    });
    expect(record.ioc).toHaveLength(3);
    expect(record.reference).toBe("INC-2026-0017");
  });
});

describe("time buckets", () => {
  const S = 1000;
  const M = 60 * S;
  const H = 60 * M;
  const D = 24 * H;
  it.each([
    [undefined, { unit: "Unknown" }],
    [-1, { unit: "Unknown" }],
    [Number.NaN, { unit: "Unknown" }],
    [0, { unit: "Seconds", value: 0 }],
    [59 * S, { unit: "Seconds", value: 59 }],
    [60 * S, { unit: "Minutes", value: 1 }],
    [90 * M, { unit: "Hours", value: 1.5 }],
    [23 * H, { unit: "Hours", value: 23 }],
    [D, { unit: "Days", value: 1 }],
    [7 * D, { unit: "Weeks", value: 1 }],
    [30 * D, { unit: "Months", value: 1 }],
    [365 * D, { unit: "Years", value: 1 }],
    [800 * D, { unit: "Years", value: 2.2 }],
  ])("%s ms -> %o", (ms, bucket) => {
    expect(durationBucket(ms)).toEqual(bucket);
  });

  it("discovery and containment are Unknown without the timestamps they span", () => {
    const record = exported(secIncident({ timestamps: { declared_at: "2026-03-01T10:35:00Z" } }));
    expect(record.timeline).toMatchObject({
      incident: { year: 2026, month: 3, day: 1, time: "10:35:00 AM" },
      discovery: { unit: "Unknown" },
      containment: { unit: "Unknown" },
      compromise: { unit: "Unknown" },
      exfiltration: { unit: "Unknown" },
    });
  });

  it("the incident time is in UTC, on a 12-hour clock", () => {
    const record = exported(secIncident({ timestamps: { impact_started_at: "2026-03-01T00:05:09+02:00" } }));
    expect(record.timeline).toMatchObject({
      incident: { year: 2026, month: 2, day: 28, time: "10:05:09 PM" },
    });
    const noon = exported(secIncident({ timestamps: { detected_at: "2026-03-01T12:00:00Z" } }));
    expect(noon.timeline).toMatchObject({ incident: { time: "12:00:00 PM" } });
  });
});

describe("each mapping branch validates", () => {
  const methods: Array<[DetectionMethod | undefined, unknown]> = [
    ["monitoring", { internal: { variety: ["Infrastructure monitoring"] } }],
    ["alert", { internal: { variety: ["Infrastructure monitoring"] } }],
    ["security_tool", { internal: { variety: ["Other"] } }],
    ["audit", { internal: { variety: ["It review"] } }],
    ["employee_report", { internal: { variety: ["Reported by employee"] } }],
    ["user_report", { external: { variety: ["Customer"] } }],
    ["customer_report", { external: { variety: ["Customer"] } }],
    ["partner_report", { partner: { variety: ["Other"] } }],
    ["threat_intel", { external: { variety: ["Other"] } }],
    ["third_party", { external: { variety: ["Unrelated 3rd party"] } }],
    ["other", { other: true }],
    [undefined, { unknown: true }],
  ];
  it.each(methods)("detection %s", (method, expected) => {
    const record = exported(secIncident(method ? { detection: { method, source: "SIEM rule 42" } } : {}));
    expect(record.discovery_method).toEqual(expected);
    if (method) expect(record.discovery_notes).toBe("SIEM rule 42");
  });

  it.each([
    ["external", "external", { variety: ["Unknown"], motive: ["Financial"], notes: "FIN7; Financial gain" }],
    ["insider", "internal", { variety: ["Unknown"], motive: ["Financial"], notes: "FIN7; Financial gain" }],
    ["partner", "partner", { country: ["Unknown"], motive: ["Financial"], notes: "FIN7; Financial gain" }],
    ["unknown", "unknown", { notes: "FIN7; Financial gain" }],
  ] as const)("actor %s -> %s", (type, key, expected) => {
    const record = exported(
      secIncident({ security: { actor: { type, name: "FIN7", motive: "Financial gain" } } }),
    );
    expect(record.actor).toEqual({ [key]: expected });
  });

  it("an unrecognised motive is Unknown; no actor is an unknown actor with a note", () => {
    const odd = exported(secIncident({ security: { actor: { type: "external", motive: "curiosity" } } }));
    expect(odd.actor).toEqual({
      external: { variety: ["Unknown"], motive: ["Unknown"], notes: "curiosity" },
    });
    const none = exported(secIncident());
    expect(none.actor).toEqual({ unknown: { notes: "The incident record names no actor." } });
    const insider = exported(secIncident({ categories: ["sec.insider"] }));
    expect(insider.actor).toEqual({ internal: { variety: ["Unknown"], motive: ["Unknown"] } });
  });

  it.each([
    ["sec.phishing", { social: { variety: ["Phishing"], vector: ["Email"], target: ["Unknown"] } }],
    ["sec.account_compromise", { hacking: { variety: ["Use of stolen creds"], vector: ["Unknown"] } }],
    ["sec.credential_stuffing", { hacking: { variety: ["Brute force"], vector: ["Web application"] } }],
    ["sec.malware", { malware: { variety: ["Unknown"], vector: ["Unknown"] } }],
    ["sec.intrusion", { hacking: { variety: ["Unknown"], vector: ["Unknown"] } }],
    ["sec.data_exposure", { error: { variety: ["Unknown"], vector: ["Unknown"] } }],
    ["sec.dos", { hacking: { variety: ["DoS"], vector: ["Unknown"] } }],
    ["sec.insider", { misuse: { variety: ["Unknown"], vector: ["Unknown"] } }],
    ["sec.vulnerability", { hacking: { variety: ["Exploit vuln"], vector: ["Unknown"] } }],
    ["sec.policy_violation", { misuse: { variety: ["Unknown"], vector: ["Unknown"] } }],
    ["sec.custom_thing", { unknown: { notes: "The categories name no VERIS action." } }],
  ])("category %s", (category, expected) => {
    expect(exported(secIncident({ categories: [category] })).action).toEqual(expected);
  });

  it("ATT&CK techniques add their actions (sub-techniques through their parent) and a note", () => {
    const record = exported(
      secIncident({ categories: ["sec.malware"], security: { techniques: ["T1486", "T1566.001", "T9999"] } }),
    );
    const notes = "MITRE ATT&CK: T1486, T1566.001, T9999";
    expect(record.action).toEqual({
      malware: { variety: ["Ransomware"], vector: ["Unknown"], notes },
      social: { variety: ["Phishing"], vector: ["Email"], target: ["Unknown"], notes },
    });
    const unknown = exported(secIncident({ categories: ["sec.other"], security: { techniques: ["T9999"] } }));
    expect(unknown.action).toEqual({ unknown: { notes: "MITRE ATT&CK: T9999" } });
  });

  it("assets come from the categories, services go to the notes", () => {
    const record = exported(
      secIncident({ categories: ["sec.phishing", "sec.account_compromise"], services: ["vpn"] }),
    );
    expect(record.asset).toEqual({
      assets: [{ variety: "P - End-user or employee" }, { variety: "S - Authentication" }],
      cloud: ["Unknown"],
      notes: "Services: vpn",
    });
    expect(exported(secIncident()).asset).toEqual({ assets: [{ variety: "Unknown" }], cloud: ["Unknown"] });
  });

  it.each([
    ["confirmed", "Yes"],
    ["suspected", "Potentially"],
    ["none", "No"],
    ["unknown", "Unknown"],
  ] as const)("data exposure %s -> disclosure %s", (status, disclosure) => {
    const record = exported(secIncident({ security: { data_exposure: { status } } }));
    expect(record.attribute).toEqual({ confidentiality: { data_disclosure: disclosure } });
  });

  it("data types map to VERIS varieties, once each, Other when nothing matches", () => {
    const record = exported(
      secIncident({
        impact_assessment: { customers_affected: 3 },
        security: {
          data_exposure: {
            status: "confirmed",
            records: 3,
            description: "Three rows.",
            data_types: ["names", "email addresses", "password hashes", "card numbers", "holiday photos"],
          },
        },
      }),
    );
    expect(record.attribute).toEqual({
      confidentiality: {
        data_disclosure: "Yes",
        data_total: 3,
        data: [
          { variety: "Personal" },
          { variety: "Credentials" },
          { variety: "Payment" },
          { variety: "Other" },
        ],
        data_victim: ["Customer"],
        notes: "Three rows.",
      },
    });
  });

  it("denial of service: availability interrupted for the impact window; malware: software installed", () => {
    const dos = exported(
      secIncident({
        categories: ["sec.dos"],
        timestamps: { impact_started_at: "2026-03-01T10:00:00Z", impact_ended_at: "2026-03-01T13:00:00Z" },
      }),
    );
    expect(dos.attribute).toEqual({
      availability: { variety: ["Interruption"], duration: { unit: "Hours", value: 3 } },
    });
    const malware = exported(secIncident({ categories: ["sec.malware"] }));
    expect(malware.attribute).toEqual({ integrity: { variety: ["Software installation"] } });
    expect(exported(secIncident()).attribute).toBeUndefined();
  });

  it.each([
    ["confirmed", "Confirmed", "High"],
    ["suspected", "Suspected", "Low"],
    ["near_miss", "Near miss", "Medium"],
    ["false_positive", "False positive", "High"],
    [undefined, "Suspected", undefined],
  ] as const)("determination %s -> %s, confidence %s", (determination, security, confidence) => {
    const record = exported(secIncident({ determination }));
    expect(record.security_incident).toBe(security);
    expect(record.confidence).toBe(confidence);
  });

  it.each([
    ["high", "Damaging"],
    ["medium", "Painful"],
    ["low", "Distracting"],
    [undefined, "Unknown"],
  ] as const)("impact %s -> overall rating %s", (impact, rating) => {
    const record = exported(
      secIncident({
        impact,
        impact_assessment: { summary: "Checkout down.", financial: "About EUR 2,000." },
      }),
    );
    expect(record.impact).toEqual({ overall_rating: rating, notes: "Checkout down. About EUR 2,000." });
  });

  it("indicators, action items, root cause, summary and the plus block", () => {
    const record = exported(
      secIncident({
        status: "closed",
        summary: "What happened.",
        root_cause: "An old rule.",
        security: {
          indicators: [
            { type: "ipv4", value: "203.0.113.9", note: "scanner" },
            { type: "domain", value: "bad.example" },
          ],
        },
        action_items: [
          { id: "AI-1", title: "Rotate keys", class: "repair", owner: "jlee", status: "done" },
          { id: "AI-2", title: "Alert on rule changes", class: "detect", owner: "jlee", status: "open" },
        ],
      }),
    );
    expect(record.summary).toBe("What happened.");
    expect(record.ioc).toEqual([
      { indicator: "203.0.113.9", comment: "ipv4: scanner" },
      { indicator: "bad.example", comment: "domain" },
    ]);
    expect(record.corrective_action).toBe("Rotate keys; Alert on rule changes");
    expect(record.notes).toBe("Root cause: An old rule.");
    expect(record.plus).toMatchObject({ analysis_status: "Finalized", created: "2026-03-01T10:35:00Z" });
    expect(exported(secIncident()).plus).toMatchObject({ analysis_status: "First pass" });
    expect(exported(secIncident()).summary).toBe("Test security incident");
  });

  it("source_id, reference and a master_id that is stable per incident", () => {
    const a = toVeris(secIncident(), {
      sourceId: "acme-soc",
      reference: "incidents/2026/INC-2026-0100.yaml",
    });
    const b = toVeris(secIncident());
    const c = toVeris(secIncident({ id: "INC-2026-0101" }));
    if ("skipped" in a || "skipped" in b || "skipped" in c) throw new Error("skipped");
    expect(a.record.source_id).toBe("acme-soc");
    expect(a.record.reference).toBe("incidents/2026/INC-2026-0100.yaml");
    expect(b.record.source_id).toBe("incident-as-code");
    const id = (r: VerisRecord) => (r.plus as { master_id: string }).master_id;
    expect(id(a.record)).toBe(id(b.record));
    expect(id(a.record)).not.toBe(id(c.record));
    expect(id(a.record)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("what is not exported", () => {
  it("duplicates, records without any time, and years VERIS does not take", () => {
    expect(
      toVeris(secIncident({ determination: "duplicate", related: { duplicate_of: "INC-2026-0001" } })),
    ).toEqual({ skipped: "a duplicate of INC-2026-0001" });
    expect("skipped" in toVeris(secIncident({ timestamps: {} }))).toBe(true);
    expect("skipped" in toVeris(secIncident({ timestamps: { detected_at: "2051-01-01T00:00:00Z" } }))).toBe(
      true,
    );
    expect(isSecurityIncident(secIncident({ categories: ["ops.change", "security"] }))).toBe(false);
    expect(isSecurityIncident(secIncident({ categories: undefined }))).toBe(false);
  });
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none is left raw
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("hostile text", () => {
  it("survives JSON output intact, one record per line, no raw separators or controls", () => {
    const nasty =
      'Quote " backslash \\ newline \n tab \t LS \u2028 PS \u2029 C1 \u009b bidi \u202e </script> $' + "{x}";
    const record = exported(
      secIncident({
        title: nasty,
        summary: nasty,
        security: { indicators: [{ type: "other", value: nasty, note: nasty }] },
      }),
    );
    const text = jsonLines([record, record]);
    expect(text.split("\n")).toHaveLength(3);
    expect(text).not.toMatch(RAW_UNSAFE);
    const back = JSON.parse(text.split("\n")[0] as string) as VerisRecord;
    expect(back).toEqual(record);
    expect(back.summary).toBe(nasty);
    expect(JSON.parse(jsonText(record, true))).toEqual(record);
  });
});
