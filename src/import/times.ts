// Source times to the record's RFC 3339 form: RFC 3339 (with an offset, or a local time in the given
// zone), a date, Unix seconds or milliseconds, or a fixed pattern of YYYY MM DD HH mm ss tokens. The
// pattern never becomes a user-written regular expression: it is compiled from fixed digit groups
// and escaped literal characters, so no input can make matching slow. Pure.

import { formatInZone, parseInstant, parseTime } from "../lifecycle/time.js";

const TOKENS = ["YYYY", "MM", "DD", "HH", "mm", "ss"] as const;
type Token = (typeof TOKENS)[number];
const DIGITS: Record<Token, number> = { YYYY: 4, MM: 2, DD: 2, HH: 2, mm: 2, ss: 2 };

/** Whether a format is one the importer reads. */
export function timeFormatProblem(format: string): string | undefined {
  if (["rfc3339", "date", "unix", "unix_ms"].includes(format)) return undefined;
  const { tokens } = compile(format);
  if (!tokens.includes("YYYY") || !tokens.includes("MM") || !tokens.includes("DD"))
    return `time format \`${format}\` needs YYYY, MM and DD (or use rfc3339, date, unix, unix_ms)`;
  if (new Set(tokens).size !== tokens.length) return `time format \`${format}\` repeats a token`;
  return undefined;
}

function compile(format: string): { re: RegExp; tokens: Token[] } {
  const tokens: Token[] = [];
  let src = "^";
  for (let i = 0; i < format.length; ) {
    const t = TOKENS.find((k) => format.startsWith(k, i));
    if (t) {
      tokens.push(t);
      src += `(\\d{${DIGITS[t]}})`;
      i += t.length;
    } else {
      src += (format[i] as string).replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
      i++;
    }
  }
  return { re: new RegExp(`${src}$`), tokens };
}

const LOCAL = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `zone` is a time zone this runtime knows. */
export function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The source value as an RFC 3339 time in `outZone`, or the reason it cannot be read. `zone` is the
 * zone of local times (those without an offset).
 */
export function readTime(
  value: unknown,
  format: string,
  zone: string,
  outZone: string,
): { time?: string; reason?: string } {
  const shown = JSON.stringify(value)?.slice(0, 60) ?? String(value);
  const bad = { reason: `${shown} is not a time in the format \`${format}\`` };
  const epoch = new Date(0);
  const local = (s: string) => {
    try {
      return parseInstant(parseTime(s, epoch, zone));
    } catch {
      return undefined;
    }
  };
  let ms: number | undefined;
  if (format === "unix" || format === "unix_ms") {
    const n =
      typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN;
    if (!Number.isFinite(n) || (typeof value === "string" && value.trim() === "")) return bad;
    ms = format === "unix" ? n * 1000 : n;
    if (Math.abs(ms) > 253_402_300_799_000) return bad;
  } else if (typeof value !== "string") {
    return bad;
  } else if (format === "rfc3339") {
    const s = value.trim();
    ms = parseInstant(s) ?? (LOCAL.test(s) ? local(s) : undefined);
  } else if (format === "date") {
    const s = value.trim();
    ms = DATE.test(s) ? local(`${s} 00:00`) : undefined;
  } else {
    const { re, tokens } = compile(format);
    const m = re.exec(value.trim());
    if (m) {
      const get = (t: Token, d: string) => {
        const i = tokens.indexOf(t);
        return i >= 0 ? (m[i + 1] as string) : d;
      };
      ms = local(
        `${get("YYYY", "")}-${get("MM", "")}-${get("DD", "")} ${get("HH", "00")}:${get("mm", "00")}:${get("ss", "00")}`,
      );
    }
  }
  if (ms === undefined || !Number.isFinite(ms)) return bad;
  return { time: formatInZone(new Date(ms), outZone) };
}
