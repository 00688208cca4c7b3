// The fictional organisation behind the benchmark corpus: teams, services and people written to the
// generated incident.config.yaml, and the incident scenarios (text templates per category) the
// generator fills in. Templates use {slots}; see `fill` in generate.ts.

import type { RoleName } from "../src/config/types.js";
import type { ResolutionCode } from "../src/model/types.js";

export interface TeamSpec {
  id: string;
  name: string;
  description: string;
}

export interface ServiceSpec {
  id: string;
  name: string;
  description: string;
  tier: 1 | 2 | 3 | 4;
  team: string;
}

export interface PersonSpec {
  handle: string;
  name: string;
  team: string;
  roles: RoleName[];
}

export const TEAMS: TeamSpec[] = [
  {
    id: "platform",
    name: "Platform Engineering",
    description: "Storefront, CDN and the shared Kubernetes platform.",
  },
  {
    id: "payments",
    name: "Payments",
    description: "Checkout, order placement and the payment provider integration.",
  },
  { id: "identity", name: "Identity", description: "Customer login and sessions, workforce SSO and MFA." },
  {
    id: "security",
    name: "Security Operations",
    description: "Detection and response, EDR, threat intel, vulnerability management.",
  },
  {
    id: "sre",
    name: "Site Reliability Engineering",
    description: "Databases, observability, on-call tooling and the incident process.",
  },
  {
    id: "it-support",
    name: "IT Support",
    description: "Employee laptops, corporate mail, VPN and the service desk.",
  },
  {
    id: "data",
    name: "Data Platform",
    description: "Event pipeline, warehouse, exports and reporting jobs.",
  },
  {
    id: "fulfilment",
    name: "Fulfilment",
    description: "Inventory, warehouse integration, shipping and returns.",
  },
];

export const SERVICES: ServiceSpec[] = [
  {
    id: "web-storefront",
    name: "Web Storefront",
    description: "The customer-facing shop behind the CDN.",
    tier: 1,
    team: "platform",
  },
  {
    id: "mobile-api",
    name: "Mobile API",
    description: "Backend-for-frontend for the iOS and Android apps.",
    tier: 1,
    team: "platform",
  },
  {
    id: "checkout-api",
    name: "Checkout API",
    description: "Cart, checkout and order placement API.",
    tier: 1,
    team: "payments",
  },
  {
    id: "payments-gateway",
    name: "Payments Gateway",
    description: "Talks to the card acquirer and PSP, including 3-D Secure.",
    tier: 1,
    team: "payments",
  },
  {
    id: "postgres-orders",
    name: "Orders database",
    description: "PostgreSQL cluster holding orders and carts.",
    tier: 1,
    team: "sre",
  },
  {
    id: "cdn-edge",
    name: "CDN edge",
    description: "CDN configuration, edge TLS certificates and WAF rules.",
    tier: 1,
    team: "platform",
  },
  {
    id: "customer-auth",
    name: "Customer Login API",
    description: "Customer sign-in, sessions and password reset.",
    tier: 1,
    team: "identity",
  },
  {
    id: "api-gateway",
    name: "API gateway",
    description: "Public API gateway: routing, rate limits, auth offload.",
    tier: 1,
    team: "platform",
  },
  {
    id: "search",
    name: "Product Search",
    description: "OpenSearch-based product search and autocomplete.",
    tier: 2,
    team: "platform",
  },
  {
    id: "catalog-api",
    name: "Catalog API",
    description: "Products, prices and availability for web and apps.",
    tier: 2,
    team: "platform",
  },
  {
    id: "redis-sessions",
    name: "Session cache",
    description: "Redis cluster for sessions and carts in flight.",
    tier: 2,
    team: "sre",
  },
  {
    id: "kafka-events",
    name: "Event bus",
    description: "Kafka cluster carrying order, stock and click events.",
    tier: 2,
    team: "data",
  },
  {
    id: "inventory-service",
    name: "Inventory service",
    description: "Stock levels and reservations per warehouse.",
    tier: 2,
    team: "fulfilment",
  },
  {
    id: "shipping-service",
    name: "Shipping service",
    description: "Carrier labels, tracking and delivery promises.",
    tier: 2,
    team: "fulfilment",
  },
  {
    id: "object-storage",
    name: "Object storage",
    description: "Buckets for product images, exports and backups.",
    tier: 2,
    team: "platform",
  },
  {
    id: "identity-sso",
    name: "Workforce SSO",
    description: "Employee single sign-on and MFA.",
    tier: 2,
    team: "identity",
  },
  {
    id: "email-gateway",
    name: "Email gateway",
    description: "Inbound and outbound mail filtering for corporate mailboxes.",
    tier: 2,
    team: "it-support",
  },
  {
    id: "notification-service",
    name: "Notification service",
    description: "Order emails, push notifications and SMS.",
    tier: 2,
    team: "platform",
  },
  {
    id: "data-warehouse",
    name: "Data warehouse",
    description: "Analytics warehouse and nightly exports.",
    tier: 3,
    team: "data",
  },
  {
    id: "k8s-platform",
    name: "Kubernetes platform",
    description: "Shared production clusters and ingress.",
    tier: 1,
    team: "sre",
  },
  {
    id: "observability",
    name: "Observability stack",
    description: "Metrics, logs, traces and alert routing.",
    tier: 2,
    team: "sre",
  },
  {
    id: "ci-cd",
    name: "CI/CD",
    description: "Build runners, artifact registry and deploy pipelines.",
    tier: 3,
    team: "sre",
  },
  {
    id: "vpn",
    name: "Corporate VPN",
    description: "Remote access VPN for employees and contractors.",
    tier: 3,
    team: "it-support",
  },
  {
    id: "corporate-laptops",
    name: "Corporate laptops",
    description: "Managed macOS and Windows laptops with EDR and MDM.",
    tier: 3,
    team: "it-support",
  },
  {
    id: "hr-portal",
    name: "HR portal",
    description: "SaaS HR system with payroll and employee records.",
    tier: 3,
    team: "it-support",
  },
  {
    id: "status-page",
    name: "Public status page",
    description: "The public status page and its synthetic checks.",
    tier: 4,
    team: "sre",
  },
];

const FIRST = [
  "amara",
  "jordan",
  "priya",
  "tomas",
  "lucas",
  "elena",
  "farah",
  "kwame",
  "sofia",
  "duc",
  "mei",
  "oliver",
  "hannah",
  "rene",
  "aiko",
  "bruno",
  "chloe",
  "dmitri",
  "esther",
  "felix",
  "grace",
  "hugo",
  "ines",
  "jonas",
  "kai",
  "lena",
  "marco",
  "nadia",
  "omar",
  "paula",
  "quentin",
  "rosa",
  "samir",
  "tara",
  "umar",
  "vera",
  "wei",
  "ximena",
  "yusuf",
  "zoe",
  "anil",
  "bea",
  "carlos",
  "dana",
  "emil",
  "fatima",
  "gus",
  "helga",
];
const LAST = [
  "okafor",
  "lee",
  "raman",
  "novak",
  "moreau",
  "petrova",
  "haddad",
  "mensah",
  "alvarez",
  "nguyen",
  "tanaka",
  "grant",
  "schmidt",
  "baptiste",
  "sato",
  "costa",
  "martin",
  "ivanov",
  "cohen",
  "wagner",
  "kim",
  "dubois",
  "ferreira",
  "berg",
  "larsen",
  "fischer",
  "rossi",
  "karim",
  "aziz",
  "santos",
  "leroy",
  "garcia",
  "nair",
  "singh",
  "malik",
  "horvat",
  "chen",
  "lopez",
  "demir",
  "brown",
  "kapoor",
  "ruiz",
  "herrera",
  "walsh",
  "stein",
  "bakr",
  "olsen",
  "meyer",
];

const ROLE_SETS: RoleName[][] = [
  ["incident_commander", "incident_manager"],
  ["incident_commander", "responder"],
  ["incident_commander", "analyst", "responder"],
  ["responder"],
  ["responder", "scribe"],
  ["incident_manager", "comms_lead"],
  ["analyst", "responder"],
  ["it_operator", "responder"],
  ["comms_lead", "scribe"],
  ["responder", "analyst"],
  ["it_operator"],
  ["incident_commander", "responder"],
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const PEOPLE: PersonSpec[] = FIRST.map((first, i) => {
  const last = LAST[i] as string;
  const handle =
    i % 3 === 0 ? `${first}.${last}` : i % 3 === 1 ? `${first.charAt(0)}${last}` : `${first}-${last}`;
  return {
    handle,
    name: `${cap(first)} ${cap(last)}`,
    team: (TEAMS[i % TEAMS.length] as TeamSpec).id,
    roles: ROLE_SETS[i % ROLE_SETS.length] as RoleName[],
  };
});

export function peopleWith(role: RoleName): string[] {
  return PEOPLE.filter((p) => p.roles.includes(role)).map((p) => p.handle);
}

export type ActionClass = "detect" | "mitigate" | "prevent" | "process" | "repair";

export interface Scenario {
  category: string;
  /** Secondary categories that may be listed after the primary one. */
  also: string[];
  services: string[];
  titles: string[];
  methods: string[];
  sources: string[];
  detect: string[];
  findings: string[];
  actions: string[];
  mitigations: string[];
  rootCauses: string[];
  factors: string[];
  resolutions: Array<[ResolutionCode, string]>;
  items: Array<[ActionClass, string]>;
  /** Security scenarios only. */
  techniques?: string[];
  indicators?: string[];
  dataTypes?: string[];
  motives?: string[];
}

export const SCENARIOS: Scenario[] = [
  {
    category: "ops.change",
    also: ["ops.performance", "ops.monitoring"],
    services: ["checkout-api", "payments-gateway", "mobile-api", "catalog-api", "web-storefront", "search"],
    titles: [
      "{svc} errors after the {ver} deploy",
      "Checkout failures after a {svc} configuration change",
      "{svc} returned 502s after a feature flag rollout",
      "Broken {svc} release reached all regions before the canary caught it",
    ],
    methods: ["alert", "monitoring", "customer_report"],
    sources: [
      "Prometheus alert {Svc}ErrorRateHigh",
      "SLO burn-rate alert on {svc}",
      "Support ticket {ticket}",
    ],
    detect: [
      "Error rate on {svc} jumped to {pct} percent right after the {ver} rollout finished in {region}. Declaring.",
      "Synthetic checkout failing in {region} since {min} minutes after the deploy of {svc} {ver}; customers affected.",
      "{svc} 5xx rate crossed the alert threshold at the same minute the deploy pipeline reported success.",
    ],
    findings: [
      "The {ver} release changed the default timeout of the HTTP client from 30 s to 3 s; upstream calls to {svc2} take up to 5 s at peak.",
      "Diff between {ver0} and {ver} shows a renamed config key; the old key is silently ignored and the default applies.",
      "Errors only on pods running {ver}; the {n} pods still on {ver0} are healthy.",
      "Canary analysis compared latency only and passed; error rate on the canary was {pct} percent.",
    ],
    actions: [
      "Paused the deploy pipeline for {svc} and froze further merges.",
      "Started the rollback of {svc} to {ver0} in all regions.",
      "Disabled the feature flag for all users.",
    ],
    mitigations: [
      "Rollback complete; {svc} error rate back to baseline within {min} minutes.",
      "Feature flag off everywhere; checkout success rate recovered.",
    ],
    rootCauses: [
      "The {ver} release of {svc} changed a client timeout default that {svc2} depends on. The change was covered by unit tests but no integration test exercised a slow upstream, and the canary gate only compared latency.",
      "A configuration key was renamed in {ver} without a migration, so production fell back to a default that is only suitable for local development.",
    ],
    factors: [
      "The canary stage checked latency but not the error rate.",
      "The release notes did not mention the changed default.",
      "The deploy went to all regions within {min} minutes.",
      "No integration test covers a slow {svc2}.",
    ],
    resolutions: [
      [
        "rolled_back",
        "{svc} rolled back to {ver0}; the fix ships in the next release with a regression test.",
      ],
      ["config_change", "Restored the intended timeout through configuration and redeployed {svc}."],
    ],
    items: [
      ["prevent", "Add the error rate to the canary analysis for {svc}"],
      ["detect", "Alert on error-rate change within 5 minutes of any deploy"],
      ["prevent", "Integration test for slow upstream responses from {svc2}"],
      ["process", "Roll out {svc} region by region with a 30-minute bake time"],
    ],
  },
  {
    category: "ops.capacity",
    also: ["ops.performance"],
    services: ["postgres-orders", "redis-sessions", "kafka-events", "k8s-platform", "search", "api-gateway"],
    titles: [
      "{svc} saturated during the spring sale",
      "Connection pool exhaustion on {svc}",
      "{svc} ran out of disk after log volume spike",
      "Queue backlog on {svc} delayed order confirmations by {h} hours",
    ],
    methods: ["alert", "monitoring"],
    sources: [
      "Grafana alert {Svc}CpuSaturation",
      "Disk usage above 90 percent on {host}",
      "Consumer lag alert on {svc}",
    ],
    detect: [
      "Connections on {svc} at the pool limit ({n} of {n}) and requests queueing; latency p99 at {n} seconds.",
      "Disk on {host} at 97 percent and growing about 1 percent every {min} minutes.",
      "Consumer lag on {svc} at {big} messages and rising since the campaign email went out.",
    ],
    findings: [
      "Traffic was {n} times the normal peak after the marketing campaign started; autoscaling hit its maximum of {n} replicas.",
      "A slow query introduced last week holds connections {n} times longer than before.",
      "Debug logging was left on after the last investigation and writes {n} GB per hour.",
    ],
    actions: [
      "Raised the replica maximum for {svc} from {n} to {n}.",
      "Killed the long-running report queries on {host}.",
      "Turned debug logging off and rotated the logs on {host}.",
    ],
    mitigations: [
      "Added {n} nodes; {svc} latency back under the SLO threshold.",
      "Backlog on {svc} drained within {min} minutes after adding consumers.",
    ],
    rootCauses: [
      "{svc} was sized for the normal peak plus 30 percent, while the campaign brought {n} times the normal load. Nobody told the platform team about the campaign in advance.",
      "A query added in {ver} scans the whole orders table and held pool connections long enough to starve normal traffic.",
    ],
    factors: [
      "Capacity planning did not include marketing campaigns.",
      "The autoscaling maximum had not been reviewed in a year.",
      "Load tests run against a dataset ten times smaller than production.",
    ],
    resolutions: [
      [
        "capacity_added",
        "Scaled {svc} out and raised the autoscaling limits; campaign traffic now fits with headroom.",
      ],
      ["fixed", "Rewrote the slow query with an index; pool usage back to normal."],
    ],
    items: [
      ["process", "Add marketing campaigns to the capacity review calendar"],
      ["detect", "Alert on pool usage above 80 percent for 5 minutes on {svc}"],
      ["prevent", "Load test {svc} at 3x peak every quarter"],
    ],
  },
  {
    category: "ops.dependency",
    also: ["ops.infrastructure"],
    services: [
      "payments-gateway",
      "shipping-service",
      "notification-service",
      "email-gateway",
      "object-storage",
      "cdn-edge",
    ],
    titles: [
      "Card payments declined during a {vendor} outage",
      "{vendor} API errors broke {svc}",
      "SMS delivery delayed by a {vendor} incident",
      "{svc} degraded while the cloud provider had a regional outage in {region}",
    ],
    methods: ["alert", "partner_report", "monitoring"],
    sources: ["{vendor} status page", "Alert {Svc}UpstreamErrors", "Email from the {vendor} account manager"],
    detect: [
      "{svc} reports {pct} percent upstream errors from {vendor}; nothing changed on our side today.",
      "Payment authorisations failing with timeouts from {vendor} in {region}; checkout conversion dropping.",
      "{vendor} posted a major outage on their status page affecting {region}.",
    ],
    findings: [
      "All failing calls go to the {region} endpoint of {vendor}; the secondary endpoint answers normally.",
      "{vendor} confirmed an incident on their side and is working on it (their ticket {ticket}).",
      "Retries from {svc} multiplied the load on {vendor} by about {n} times.",
    ],
    actions: [
      "Switched {svc} to the secondary {vendor} endpoint.",
      "Reduced retries in {svc} to 1 with jitter.",
      "Opened a priority case with {vendor} support.",
    ],
    mitigations: [
      "Failover to the secondary endpoint done; error rate back under 1 percent.",
      "{vendor} recovered; success rate back to baseline.",
    ],
    rootCauses: [
      "An outage at {vendor} in {region}. Our integration had a secondary endpoint configured but failover was manual and undocumented.",
      "{vendor} rotated an intermediate certificate and our pinned bundle in {svc} was out of date.",
    ],
    factors: [
      "Failover to the secondary endpoint was manual.",
      "Retries without backoff amplified the outage.",
      "No alert on the vendor's own status page.",
    ],
    resolutions: [
      [
        "vendor_fixed",
        "{vendor} fixed the outage on their side; traffic moved back to the primary endpoint.",
      ],
      ["workaround", "Routed {svc} through the secondary endpoint until {vendor} confirmed the fix."],
    ],
    items: [
      ["mitigate", "Automatic failover to the secondary {vendor} endpoint"],
      ["prevent", "Exponential backoff with jitter for all {vendor} calls"],
      ["detect", "Subscribe the on-call channel to the {vendor} status feed"],
    ],
  },
  {
    category: "ops.infrastructure",
    also: ["ops.dependency", "ops.data"],
    services: ["postgres-orders", "k8s-platform", "redis-sessions", "kafka-events", "api-gateway", "vpn"],
    titles: [
      "{svc} primary failed over after a host failure",
      "Node pool lost in {region} took down part of {svc}",
      "Network partition between zones degraded {svc}",
      "{svc} unavailable after a storage volume detached",
    ],
    methods: ["alert", "monitoring"],
    sources: ["Patroni leader change on {svc}", "Kubernetes NodeNotReady for {n} nodes", "Alert {Svc}Down"],
    detect: [
      "Paged for a leader change on {svc}; {host} is the new primary.",
      "{n} nodes NotReady in {region}; pods of {svc} rescheduling.",
      "Packet loss of {pct} percent between two zones in {region}.",
    ],
    findings: [
      "The cloud console shows a hardware retirement notice for {host} posted {min} minutes before the failure.",
      "Replication lag at promotion was zero bytes, so no committed transaction was lost.",
      "The storage volume was detached by an automation that matched the wrong tag.",
    ],
    actions: [
      "Cordoned the failing nodes and drained them.",
      "Built a new replica from the latest base backup on a fresh host.",
      "Stopped the tagging automation.",
    ],
    mitigations: [
      "Traffic served from the healthy zones; error rate back to baseline.",
      "New primary healthy; write latency normal.",
    ],
    rootCauses: [
      "Hardware degradation on the cloud host of {host} hung disk I/O. The provider had scheduled the host for retirement but the notice went to an unmonitored mailbox.",
      "A cleanup automation detached volumes by tag, and a tag collision matched a production volume of {svc}.",
    ],
    factors: [
      "Provider maintenance notices were not routed to on-call.",
      "Connection pools only detected dead connections on use.",
      "The automation had no dry-run mode.",
    ],
    resolutions: [
      ["self_resolved", "Automatic failover worked; the lost replica was rebuilt on a new host."],
      ["fixed", "Volume reattached, automation fixed to match on resource ids rather than tags."],
    ],
    items: [
      ["detect", "Route cloud scheduled-event notices for {svc} hosts to on-call"],
      ["mitigate", "Enable connection health checks in all {svc} clients"],
      ["process", "Run a failover game day for {svc} every half year"],
    ],
  },
  {
    category: "ops.certificate",
    also: ["ops.monitoring"],
    services: ["cdn-edge", "api-gateway", "web-storefront", "mobile-api", "vpn"],
    titles: [
      "Expired TLS certificate on {domain} broke {svc}",
      "Mobile apps failed to connect after a certificate rotation on {svc}",
      "Internal mTLS certificate expiry stopped {svc} from reaching {svc2}",
    ],
    methods: ["customer_report", "alert", "user_report"],
    sources: [
      "Support chat escalation ({n} chats in {min} minutes)",
      "Blackbox probe on {domain}",
      "Alert TLSHandshakeFailures",
    ],
    detect: [
      "Support escalated {n} chats saying the shop looks broken; the browser console shows a certificate date error for {domain}.",
      "TLS handshake failures from {svc} to {svc2} since {min} minutes; the client certificate expired.",
    ],
    findings: [
      "openssl shows the certificate for {domain} expired this morning; it was uploaded by hand last year.",
      "The mobile apps pin the old intermediate certificate; the new chain is not trusted by app versions before {ver}.",
    ],
    actions: [
      "Issued a replacement through the ACME pipeline.",
      "Deployed the new certificate to all edge locations.",
    ],
    mitigations: [
      "New certificate live everywhere; handshake errors gone.",
      "Old chain restored for the pinned app versions.",
    ],
    rootCauses: [
      "The certificate for {domain} was uploaded manually outside the ACME pipeline and nothing tracked its expiry.",
      "Certificate pinning in old app versions was not considered when the chain was rotated.",
    ],
    factors: [
      "No inventory of certificates outside the ACME pipeline.",
      "No expiry alerting on public endpoints.",
      "Reminder emails from the CA went to a former employee.",
    ],
    resolutions: [
      ["fixed", "Replacement certificate issued through ACME and deployed; manual certificates migrated."],
      ["rolled_back", "Restored the previous certificate chain until old app versions are retired."],
    ],
    items: [
      ["detect", "Alert on every public certificate expiring within 21 days"],
      ["prevent", "Move all certificates to ACME auto-renewal"],
      ["prevent", "Block manual certificate uploads on the CDN"],
    ],
  },
  {
    category: "ops.data",
    also: ["ops.change"],
    services: ["postgres-orders", "data-warehouse", "inventory-service", "catalog-api", "kafka-events"],
    titles: [
      "Duplicate orders created by a retry bug in {svc}",
      "Wrong prices shown after a catalog import",
      "Stock levels out of sync between {svc} and the warehouse system",
      "Nightly export to {vendor} contained incomplete data",
    ],
    methods: ["customer_report", "audit", "monitoring"],
    sources: ["Finance reconciliation report", "Support ticket {ticket}", "Data quality check on {svc}"],
    detect: [
      "Finance found {n} orders charged twice in yesterday's reconciliation.",
      "Customers report prices {pct} percent lower than expected on {n} products.",
      "The data quality check on {svc} failed: {big} rows missing compared to the source.",
    ],
    findings: [
      "The import job read the price column as cents instead of euros for one supplier file.",
      "Retries of a timed-out request created a second order because the idempotency key was generated per attempt.",
      "{n} rows were dropped by a schema change in the export job.",
    ],
    actions: [
      "Paused the import job and restored prices from the previous snapshot.",
      "Refunded the duplicate charges and informed the affected customers.",
      "Re-ran the export with the fixed schema.",
    ],
    mitigations: [
      "Prices restored from the snapshot; no further wrong orders.",
      "Duplicates stopped after the hotfix.",
    ],
    rootCauses: [
      "The idempotency key in {svc} was generated per attempt instead of per request, so client retries created new orders.",
      "A supplier changed the price column unit and the import job had no sanity check on price changes.",
    ],
    factors: [
      "No alert on unusual price changes.",
      "The retry logic was added without a review by the payments team.",
      "Reconciliation only runs once a day.",
    ],
    resolutions: [
      ["fixed", "Idempotency key now generated per request; duplicates refunded."],
      ["workaround", "Manual approval for supplier price files while the sanity check is built."],
    ],
    items: [
      ["prevent", "Reject price changes above 50 percent without approval"],
      ["repair", "Refund the remaining duplicate orders"],
      ["detect", "Hourly reconciliation of orders against captured payments"],
    ],
  },
  {
    category: "ops.performance",
    also: ["ops.capacity", "ops.change"],
    services: ["search", "catalog-api", "web-storefront", "mobile-api", "checkout-api"],
    titles: [
      "Slow product search after index rebuild",
      "{svc} latency p99 above {n} seconds for two hours",
      "Storefront page loads slowed by a third-party script",
    ],
    methods: ["monitoring", "alert", "user_report"],
    sources: [
      "Latency SLO burn-rate alert on {svc}",
      "Real user monitoring dashboard",
      "Report in #help-storefront",
    ],
    detect: [
      "p99 latency on {svc} at {n} seconds against a target of 800 ms since {min} minutes.",
      "Real user monitoring shows page load time up {pct} percent on product pages.",
    ],
    findings: [
      "The rebuilt index lost its shard routing settings and all queries hit one node.",
      "Garbage collection pauses of {n} ms on {svc} after the heap size change.",
      "A tag manager script from {vendor} blocks rendering for about {n} ms.",
    ],
    actions: [
      "Restored the shard routing settings.",
      "Reverted the heap size change.",
      "Loaded the third-party script asynchronously.",
    ],
    mitigations: ["Latency back to normal after the settings change.", "Page load time back to baseline."],
    rootCauses: [
      "The index rebuild script did not copy the shard routing settings, concentrating all load on one node.",
      "A heap size increase in {ver} made garbage collection pauses long enough to breach the latency SLO.",
    ],
    factors: ["No performance test after index rebuilds.", "The latency alert only fired after 30 minutes."],
    resolutions: [
      ["config_change", "Shard routing restored and the rebuild script fixed."],
      ["rolled_back", "Heap size change reverted on {svc}."],
    ],
    items: [
      ["detect", "Faster latency burn-rate alert for {svc}"],
      ["prevent", "Performance test in the index rebuild pipeline"],
    ],
  },
  {
    category: "ops.monitoring",
    also: ["ops.change"],
    services: ["observability", "status-page", "ci-cd"],
    titles: [
      "Alert routing broken for {h} hours after a config change",
      "Metrics gap in {region} hid an ongoing {svc2} degradation",
      "Status page showed all green during an outage",
    ],
    methods: ["monitoring", "audit", "user_report"],
    sources: ["Dead man's switch alert", "Noticed during the weekly on-call review", "Report in #sre"],
    detect: [
      "The dead man's switch alert fired: no alerts reached the pager for {h} hours.",
      "Dashboards for {region} show no data since {min} minutes; the collectors are running.",
    ],
    findings: [
      "The routing config change dropped the default receiver; alerts without a team label went nowhere.",
      "The metrics agent ran out of memory on {n} nodes and restarted in a loop.",
    ],
    actions: [
      "Restored the default receiver.",
      "Raised the agent memory limit and restarted the collectors.",
    ],
    mitigations: ["Alerts reaching the pager again.", "Metrics flowing again in all regions."],
    rootCauses: [
      "A refactoring of the alert routing config removed the default receiver; the config validator accepted it.",
      "The metrics agent memory limit was too low for the cardinality added by a new label.",
    ],
    factors: ["No test that every alert reaches a receiver.", "Cardinality of new labels is not reviewed."],
    resolutions: [
      ["config_change", "Default receiver restored; the routing config now has a test."],
      ["fixed", "Agent memory limit raised and the high-cardinality label dropped."],
    ],
    items: [
      ["detect", "Test alert through every receiver every day"],
      ["prevent", "CI check that the routing config has a default receiver"],
    ],
  },
  {
    category: "sec.phishing",
    also: ["sec.account_compromise"],
    services: ["email-gateway", "identity-sso", "corporate-laptops"],
    titles: [
      "Phishing campaign against the finance team",
      "Credential phishing mails impersonating the SSO login page",
      "Invoice-themed phishing with a malicious attachment",
    ],
    methods: ["employee_report", "security_tool"],
    sources: [
      "Phishing report button ({n} reports)",
      "Email security sandbox verdict",
      "Forwarded to security@",
    ],
    detect: [
      "{n} employees reported an email asking them to re-validate their SSO password on a look-alike domain.",
      "The sandbox flagged an attachment sent to {n} mailboxes in finance.",
    ],
    findings: [
      "The sender domain {domain} was registered two days ago; the landing page clones our SSO page.",
      "{n} recipients clicked the link; {n} entered credentials according to proxy logs.",
      "The attachment is a macro document that downloads a loader from {domain}.",
    ],
    actions: [
      "Purged the mails from all mailboxes.",
      "Blocked {domain} on the proxy and DNS resolvers.",
      "Reset the passwords and revoked the sessions of the users who entered credentials.",
    ],
    mitigations: [
      "All affected accounts reset; no successful logins from attacker addresses.",
      "Domain blocked everywhere.",
    ],
    rootCauses: [
      "A targeted phishing campaign from a newly registered look-alike domain passed the email filter because the domain had no reputation yet.",
    ],
    factors: [
      "New domains are not quarantined by the email gateway.",
      "SSO still allows password-only login for some applications.",
    ],
    resolutions: [["contained", "Mails purged, domain blocked, affected credentials reset."]],
    items: [
      ["prevent", "Quarantine mail from domains younger than 30 days"],
      ["prevent", "Require phishing-resistant MFA for finance applications"],
      ["process", "Phishing awareness session for the finance team"],
    ],
    techniques: ["T1566.002", "T1566.001", "T1078", "T1204.002"],
    indicators: ["domain", "url", "email", "sha256"],
    dataTypes: ["employee credentials"],
    motives: ["financial", "credential theft"],
  },
  {
    category: "sec.account_compromise",
    also: ["sec.phishing", "sec.credential_stuffing"],
    services: ["identity-sso", "customer-auth", "hr-portal"],
    titles: [
      "Compromised employee account used to access the HR portal",
      "Admin session hijacked through a stolen token",
      "Customer accounts taken over via password reset abuse",
    ],
    methods: ["security_tool", "audit", "customer_report"],
    sources: ["Impossible travel alert in the SSO", "Quarterly access review", "Support ticket {ticket}"],
    detect: [
      "Impossible travel alert for {p}: logins from two countries within {min} minutes.",
      "{n} customers report password reset emails they did not request, then locked accounts.",
    ],
    findings: [
      "The attacker session came from {ip}, a hosting provider address seen in earlier campaigns.",
      "MFA was satisfied by an approved push notification; the user says they approved it by mistake.",
    ],
    actions: [
      "Disabled the account and revoked all sessions.",
      "Reviewed the audit log of the account for the last 30 days.",
    ],
    mitigations: [
      "Account disabled; no further activity from the attacker address.",
      "Reset flow fixed; no new takeovers.",
    ],
    rootCauses: [
      "Push-based MFA fatigue: the user approved an unexpected prompt after many repeated requests.",
    ],
    factors: ["Push MFA without number matching.", "No alert on repeated MFA prompts."],
    resolutions: [["contained", "Account secured, sessions revoked, access reviewed."]],
    items: [
      ["prevent", "Enable number matching for push MFA"],
      ["detect", "Alert on more than 5 MFA prompts within 10 minutes"],
    ],
    techniques: ["T1078", "T1621", "T1539"],
    indicators: ["ipv4", "account", "user_agent"],
    dataTypes: ["employee records", "payroll data"],
    motives: ["financial", "espionage"],
  },
  {
    category: "sec.credential_stuffing",
    also: ["sec.account_compromise"],
    services: ["customer-auth", "web-storefront", "cdn-edge", "mobile-api"],
    titles: [
      "Credential stuffing against the customer login API",
      "Bot traffic testing leaked passwords on the mobile login",
    ],
    methods: ["monitoring", "security_tool"],
    sources: ["Login failure ratio above 60 percent for 10 minutes", "WAF bot score alert"],
    detect: [
      "Login attempts at {big} per minute against a baseline of {n}, almost all invalid credentials.",
      "WAF reports {big} requests from {n} addresses with the same user agent.",
    ],
    findings: [
      "{n} logins succeeded from the attacking addresses with reused passwords.",
      "The traffic comes from residential proxies; per-IP limits do not stop it.",
    ],
    actions: [
      "Enabled the bot challenge on the login endpoint.",
      "Revoked the sessions of the affected accounts.",
    ],
    mitigations: ["Challenge live; attempts reaching origin dropped by {pct} percent."],
    rootCauses: [
      "The login API accepted unlimited attempts per account from distinct addresses, and customers reused leaked passwords.",
    ],
    factors: ["Bot management was not enabled on login.", "No check of passwords against breach corpora."],
    resolutions: [["contained", "Bot challenge on login, forced resets for affected accounts."]],
    items: [
      ["prevent", "Check passwords against breach corpora at signup and login"],
      ["mitigate", "Keep bot management on all authentication endpoints"],
    ],
    techniques: ["T1110.004", "T1078", "T1090.002"],
    indicators: ["ipv4", "ipv6", "user_agent"],
    dataTypes: ["names", "email addresses", "order history"],
    motives: ["financial"],
  },
  {
    category: "sec.malware",
    also: ["sec.phishing", "sec.intrusion"],
    services: ["corporate-laptops", "email-gateway", "vpn"],
    titles: [
      "Malware on a finance laptop after a macro document was opened",
      "EDR detected ransomware precursor on {n} laptops",
    ],
    methods: ["security_tool", "employee_report"],
    sources: ["EDR alert on {host}", "EDR rule Credential dumping (T1003.001)"],
    detect: [
      "EDR flagged a suspicious process chain on {host}: office app spawning a script host.",
      "{n} EDR alerts within {min} minutes for the same hash on different laptops.",
    ],
    findings: [
      "The loader connected to {domain} and downloaded a second stage; no lateral movement found.",
      "The hash matches a known commodity loader in threat intel.",
    ],
    actions: [
      "Isolated the affected laptops from the network.",
      "Collected memory and disk images for analysis.",
    ],
    mitigations: ["Laptops isolated; no further beaconing to {domain}."],
    rootCauses: [
      "A user opened a macro document from a phishing mail; macros from the internet were not blocked on that device group.",
    ],
    factors: [
      "Macro policy exception for finance laptops.",
      "The EDR was in detect-only mode for that group.",
    ],
    resolutions: [["contained", "Laptops reimaged, credentials reset, indicators blocked."]],
    items: [
      ["prevent", "Block internet macros on all device groups"],
      ["mitigate", "Switch the EDR to block mode for finance laptops"],
    ],
    techniques: ["T1204.002", "T1059.001", "T1071.001", "T1003.001"],
    indicators: ["sha256", "domain", "file_name"],
    dataTypes: ["none identified"],
    motives: ["financial"],
  },
  {
    category: "sec.intrusion",
    also: ["sec.vulnerability", "sec.data_exposure"],
    services: ["api-gateway", "k8s-platform", "ci-cd", "object-storage"],
    titles: [
      "Unauthorised access to a CI runner",
      "Attacker reached an internal admin API through a misconfigured ingress",
    ],
    methods: ["security_tool", "threat_intel", "third_party"],
    sources: ["IDS alert on {svc}", "Report from a security researcher", "Threat intel feed match"],
    detect: [
      "IDS alert for outbound traffic from a CI runner to {ip}, an address in a threat intel feed.",
      "A researcher reported that an admin endpoint of {svc} is reachable from the internet.",
    ],
    findings: [
      "The runner executed a job from a forked pull request with access to deploy secrets.",
      "Access logs show {n} requests to the admin endpoint from {ip} over {h} days.",
    ],
    actions: [
      "Rotated all secrets available to the runner.",
      "Removed the public ingress rule for the admin endpoint.",
    ],
    mitigations: ["Ingress closed; no further access from external addresses."],
    rootCauses: ["Jobs from forked pull requests ran on runners that had deploy secrets mounted."],
    factors: ["Secrets were available to all jobs on the runner.", "No egress filtering on runners."],
    resolutions: [["contained", "Secrets rotated, runner rebuilt, forked jobs isolated."]],
    items: [
      ["prevent", "Run forked pull request jobs on isolated runners without secrets"],
      ["detect", "Egress allow-list and alerting for CI runners"],
      ["repair", "Rotate every credential that ever lived on the runner"],
    ],
    techniques: ["T1190", "T1552.001", "T1078.004"],
    indicators: ["ipv4", "url", "account"],
    dataTypes: ["deploy credentials", "source code"],
    motives: ["unknown"],
  },
  {
    category: "sec.data_exposure",
    also: ["sec.policy_violation"],
    services: ["object-storage", "data-warehouse", "notification-service"],
    titles: ["Public bucket exposed customer export files", "Order emails sent to the wrong customers"],
    methods: ["third_party", "audit", "customer_report"],
    sources: ["Report from a security researcher", "Cloud posture scan", "Support ticket {ticket}"],
    detect: [
      "A researcher reported that a bucket with customer exports is publicly listable.",
      "{n} customers received order confirmation emails for orders that are not theirs.",
    ],
    findings: [
      "The bucket policy was changed to public by a Terraform change {n} days ago.",
      "Access logs show {n} downloads from {n} external addresses.",
    ],
    actions: [
      "Removed public access from the bucket.",
      "Stopped the email queue and purged the pending messages.",
    ],
    mitigations: ["Bucket private again; no further external access."],
    rootCauses: [
      "A Terraform module default changed and made the export bucket public; the plan review did not catch it.",
    ],
    factors: [
      "No policy check on bucket public access in CI.",
      "Exports contained more fields than the consumer needs.",
    ],
    resolutions: [["contained", "Bucket locked down, exposed files rotated out, notifications sent."]],
    items: [
      ["prevent", "Policy check that rejects public buckets in Terraform plans"],
      ["prevent", "Reduce export fields to what the consumer needs"],
      ["repair", "Notify affected customers and the regulator"],
    ],
    techniques: ["T1530"],
    indicators: ["ipv4", "url"],
    dataTypes: ["names", "email addresses", "postal addresses", "order history"],
    motives: ["unknown"],
  },
  {
    category: "sec.dos",
    also: ["ops.capacity"],
    services: ["cdn-edge", "api-gateway", "web-storefront", "search"],
    titles: ["Layer 7 DDoS on the search endpoint", "Volumetric attack against the API gateway"],
    methods: ["alert", "security_tool"],
    sources: ["CDN attack alert", "Alert {Svc}RequestRateHigh"],
    detect: [
      "Request rate on {svc} at {big} per second, {n} times normal, from {n} addresses.",
      "The CDN reports a volumetric attack of {n} Gbit/s against {domain}.",
    ],
    findings: ["The requests all hit the search endpoint with random query strings to bypass the cache."],
    actions: [
      "Enabled rate limiting per client on the search endpoint.",
      "Activated the under-attack mode on the CDN.",
    ],
    mitigations: ["Attack traffic blocked at the edge; origin load normal."],
    rootCauses: ["A botnet targeted an uncached endpoint; rate limits existed only for login and checkout."],
    factors: ["No rate limit on search.", "The runbook for under-attack mode was outdated."],
    resolutions: [["contained", "Rate limits and edge rules in place; the attack stopped."]],
    items: [
      ["mitigate", "Rate limits on every public endpoint"],
      ["process", "Update and rehearse the DDoS runbook"],
    ],
    techniques: ["T1498", "T1499.002"],
    indicators: ["ipv4", "user_agent"],
    dataTypes: ["none"],
    motives: ["extortion", "unknown"],
  },
  {
    category: "sec.insider",
    also: ["sec.policy_violation", "sec.data_exposure"],
    services: ["data-warehouse", "hr-portal", "identity-sso"],
    titles: [
      "Departing employee downloaded customer lists",
      "Contractor account used outside the agreed scope",
    ],
    methods: ["audit", "security_tool"],
    sources: ["DLP alert on bulk download", "Quarterly access review"],
    detect: ["DLP alert: {big} rows exported from the warehouse by one account in {min} minutes."],
    findings: [
      "The account belongs to an employee who resigned last week; the export went to a personal drive.",
    ],
    actions: ["Suspended the account and preserved the logs for HR and legal."],
    mitigations: ["Account suspended; the personal drive share revoked."],
    rootCauses: [
      "Bulk export permissions were broader than the role needs and leaver reviews did not cover the warehouse.",
    ],
    factors: ["No limit on export size.", "Leaver process does not review data access."],
    resolutions: [["contained", "Access revoked, data deletion confirmed in writing, HR process started."]],
    items: [
      ["prevent", "Limit warehouse exports by role"],
      ["process", "Add data access review to the leaver checklist"],
    ],
    techniques: ["T1567.002", "T1078"],
    indicators: ["account", "url"],
    dataTypes: ["customer names", "email addresses"],
    motives: ["personal gain"],
  },
  {
    category: "sec.vulnerability",
    also: ["sec.intrusion"],
    services: ["api-gateway", "web-storefront", "vpn", "k8s-platform"],
    titles: [
      "Actively exploited VPN appliance vulnerability",
      "Critical library vulnerability in {svc} under active scanning",
    ],
    methods: ["threat_intel", "third_party", "security_tool"],
    sources: ["Vendor advisory", "CERT notification", "WAF signature hits"],
    detect: [
      "A vendor advisory reports active exploitation of a vulnerability in the appliance version we run.",
    ],
    findings: [
      "WAF logs show {n} exploitation attempts from {n} addresses; none succeeded according to the app logs.",
    ],
    actions: ["Applied the vendor mitigation.", "Deployed the patched version to all instances."],
    mitigations: ["Patched everywhere; exploitation attempts now blocked."],
    rootCauses: ["A vulnerable version was in production; patch SLAs did not cover edge appliances."],
    factors: ["Appliances are not in the vulnerability scanner inventory."],
    resolutions: [["fixed", "Patched and verified; indicators blocked."]],
    items: [
      ["process", "Add edge appliances to the patch SLA"],
      ["detect", "Scan edge appliances weekly"],
    ],
    techniques: ["T1190", "T1133"],
    indicators: ["ipv4", "url"],
    dataTypes: ["none"],
    motives: ["unknown"],
  },
  {
    category: "sec.policy_violation",
    also: ["sec.data_exposure"],
    services: ["ci-cd", "object-storage", "corporate-laptops"],
    titles: ["API key committed to a public repository", "Production data copied to a test environment"],
    methods: ["security_tool", "audit", "third_party"],
    sources: ["Secret scanning alert", "Audit of test environments"],
    detect: ["Secret scanning found a production API key for {vendor} in a public repository."],
    findings: ["The key was public for {h} hours; the provider logs show no use from unknown addresses."],
    actions: ["Revoked the key and issued a new one through the secrets manager."],
    mitigations: ["Key revoked; the commit removed from history."],
    rootCauses: ["A developer tested with a production key locally and committed the config file."],
    factors: ["Pre-commit secret scanning was optional."],
    resolutions: [["contained", "Key revoked and rotated; no misuse found."]],
    items: [["prevent", "Make pre-commit secret scanning mandatory"]],
    techniques: ["T1552.001"],
    indicators: ["url", "other"],
    dataTypes: ["API credentials"],
    motives: ["none (mistake)"],
  },
];

export const VENDORS = [
  "Stripe-like PSP",
  "Adyen-like acquirer",
  "Twilio-like SMS",
  "DHL-like carrier",
  "AT&T",
  "CloudCo",
  "EdgeNet",
];
export const REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1"];

export const NOTES = [
  "Bridge opened in #inc channel; {p} keeps the timeline.",
  "No recent deploys to {svc} in the last {h} hours according to the deploy log.",
  "Checked the dashboards for {svc2}: no correlated change.",
  "Customer support has a macro ready for incoming questions.",
  "Traffic pattern looks similar to the incident two months ago.",
  "Logs from {host} collected and attached to the ticket.",
];
export const COMMUNICATIONS = [
  "Status page updated: {svc} degraded, investigating.",
  "Update to the executive channel: impact, current actions, next update in 30 minutes.",
  "Customer email drafted and approved by legal.",
  "Internal update posted to #announcements.",
  "Status page updated: fix in place, monitoring.",
];
export const ESCALATIONS = [
  "Paged the {team} on-call for help with {svc2}.",
  "Escalated to the vendor's priority support line.",
  "Pulled in {p} as subject-matter expert.",
  "Raised severity after the scope grew to {region}.",
];
export const DECISIONS = [
  "Decided to roll back rather than hotfix; rollback is tested and takes about {min} minutes.",
  "Decided not to fail over yet: the secondary has {min} minutes of replication lag.",
  "Accepting degraded search to protect checkout capacity.",
  "Keep the feature disabled until the fix has a regression test.",
];
export const WENT_WELL = [
  "The alert fired within {min} minutes of the first errors.",
  "The runbook for {svc} was accurate and saved time.",
  "Communication to support and customers was quick and clear.",
  "Rollback tooling worked on the first attempt.",
];
export const WENT_WRONG = [
  "It took {min} minutes to find the right dashboard.",
  "The on-call engineer did not have access to {svc2}.",
  "Two people worked on the same hypothesis without knowing it.",
  "The status page was updated only after customers asked.",
];
export const GENERIC_FACTORS = [
  "The runbook for {svc} was out of date.",
  "The on-call engineer for {svc2} was not reachable for {min} minutes.",
  "Alerts for {svc} went to a channel nobody watches at night.",
  "The dashboards did not show the dependency on {svc2}.",
];
export const GENERIC_ITEMS: Array<[ActionClass, string]> = [
  ["process", "Update the runbook for {svc} with the steps from this incident"],
  ["detect", "Dashboard of {svc} dependencies on the on-call home page"],
  ["process", "Add {svc} to the quarterly game day"],
  ["mitigate", "Document and test the rollback procedure for {svc}"],
  ["repair", "Clean up the manual changes made during the incident"],
  ["detect", "Page the owning team directly for {svc} alerts"],
];
export const LUCKY = [
  "It happened at a low-traffic hour.",
  "A responder happened to know the history of {svc}.",
  "The vendor answered the phone within minutes.",
];

/**
 * Sentences that carry the characters real prose uses (%, &, *, !), written the way people write
 * them ("5%", "R&D", "*all* pods", "it worked!"). The weights say how often each form is picked. Which
 * of them the fast path's lexical screen refuses is measured by the benchmark, not assumed here.
 */
export const SPECIALS: Array<{ text: string; weight: number }> = [
  { text: "Error rate peaked at {pct}%.", weight: 10 },
  { text: "About {pct}% of requests were affected.", weight: 10 },
  { text: "CPU sat at {pct}% on the hot nodes.", weight: 8 },
  { text: "The 99.9% availability SLO was at risk.", weight: 7 },
  { text: "R&D signed off on the plan.", weight: 5 },
  { text: "Looped in the AT&T account team.", weight: 3 },
  { text: "Summarised for the weekly Q&A.", weight: 3 },
  { text: "Finance asked about the P&L impact.", weight: 4 },
  { text: "Search & browse were not affected.", weight: 4 },
  { text: "Ops & security reviewed it together.", weight: 3 },
  { text: "Logs & metrics agree on the timing.", weight: 3 },
  { text: "Restarted *all* pods in the {svc} deployment.", weight: 5 },
  { text: "This was **not** caused by the deploy.", weight: 4 },
  { text: "Checked the *.harborlane.example wildcard record too.", weight: 3 },
  { text: "Purged /static/* on the CDN.", weight: 3 },
  { text: "Matched the logs for path /api/v2/*.", weight: 2 },
  { text: "It worked!", weight: 5 },
  { text: "The alert fired again!", weight: 5 },
  { text: "Do not rerun the migration!", weight: 4 },
  { text: "Probes saw status != 200 on every attempt.", weight: 3 },
  { text: "A stray !important rule overrode the styles.", weight: 3 },
];

/** Short forms for titles, appended after the title text. */
export const TITLE_SPECIALS: Array<{ text: string; weight: number }> = [
  { text: "({pct}% of requests)", weight: 10 },
  { text: "({pct}% error rate)", weight: 8 },
  { text: "in the R&D cluster", weight: 3 },
  { text: "(*all* regions)", weight: 3 },
  { text: "(web & mobile)", weight: 4 },
];
