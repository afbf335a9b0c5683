// The per-record report over the usage event log, with the source document's semantics:
// for each (kind, slug) in any event's records,
// - use_count: +1 per record entry of a `use` event;
// - last_used_at: the latest `occurred_at` of those (compared as instants; the original text of
//   the latest is kept; on a tie the later line wins, like Rust's `max`); null when never used;
// - source_breakdown: per source name, the number of `use` entries (keys in byte order);
// - resident_exposure_count: +1 per record entry of a `resident_exposure` event, whatever its source;
// - estimated_tokens_per_injection: `file_tokens_estimate` of the last resident exposure in log
//   order, and estimated_total_resident_exposure_tokens: that times the count. Both are 0 (not
//   null) for a record never exposed, as the source (whose fields are plain u64) reports them.
// Records are sorted by kind then slug, byte-wise as UTF-8. Blank lines are skipped; malformed
// lines are counted and the first 100 kept as samples with their reason (later ones are only
// counted). Repeated event ids are not de-duplicated.
// Beside the report (not in it: `records --json` stays as the source prints it), the builder
// keeps the tokens of resident exposures per UTC day (residentByDay) for the report page.
import { isUtf8 } from 'node:buffer';
import {
  checkUsageEvent,
  explainInvalidEvent,
  SOURCE_SLOT,
  SOURCES_IN_BYTE_ORDER,
  type UsageEvent,
} from './usageEvent';
import { compareInstants, parseRfc3339, type Instant } from './timestamp';
import { ResidentSeries, type ResidentDay } from './tokenBudget';
import { compareUtf8, firstInvalidUtf8 } from './utf8';

export interface RecordStats {
  kind: string;
  slug: string;
  use_count: number;
  /** `occurred_at` of the latest use, as written in the log; null when never used. */
  last_used_at: string | null;
  /** Uses per source name; only sources with at least one use; keys sorted. */
  source_breakdown: Record<string, number>;
  resident_exposure_count: number;
  /** Tokens of the last resident exposure (0 when never exposed, as the source). */
  estimated_tokens_per_injection: number;
  /**
   * estimated_tokens_per_injection × resident_exposure_count (0 when never exposed); exact, or
   * Number.MAX_SAFE_INTEGER with `tokens_saturated` when the product passes it (a double would
   * print made-up digits).
   */
  estimated_total_resident_exposure_tokens: number;
  /** Present (true) only when the total above was saturated. */
  tokens_saturated?: true;
}

/** tokens × count, exact up to 2^53 − 1, else saturated there and flagged. */
export function residentTotal(tokens: number, count: number): { total: number; saturated: boolean } {
  const exact = BigInt(tokens) * BigInt(count);
  return exact > BigInt(Number.MAX_SAFE_INTEGER)
    ? { total: Number.MAX_SAFE_INTEGER, saturated: true }
    : { total: Number(exact), saturated: false };
}

export interface MalformedSample {
  /** 1-based line number in the log. */
  line: number;
  reason: string;
  /** The start of the line (at most SAMPLE_TEXT_CHARS characters). */
  text: string;
}

export interface MalformedSummary {
  count: number;
  samples: MalformedSample[];
}

export interface RecordReport {
  records: RecordStats[];
  malformed: MalformedSummary;
  /** Valid events aggregated. */
  events: number;
  /** Lines seen (the highest line number given), blank and malformed ones included. */
  lines: number;
}

export const MAX_MALFORMED_SAMPLES = 100;
export const SAMPLE_TEXT_CHARS = 200;

const SOURCE_ORDER = SOURCES_IN_BYTE_ORDER;

interface Accumulator {
  kind: string;
  slug: string;
  useCount: number;
  lastUsedAt: string | null;
  lastUsedInstant: Instant | undefined;
  /** Uses per source, by SOURCE_SLOT. */
  sources: number[];
  residentCount: number;
  lastResidentTokens: number;
}

/** Rust's `char::is_whitespace` (Unicode White_Space), which the source's `trim()` uses for blank lines. */
function isRustWhitespace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isRustWhitespace(line.charCodeAt(i))) return false;
  return true;
}

function sampleText(line: string): string {
  if (line.length <= SAMPLE_TEXT_CHARS) return line;
  let end = SAMPLE_TEXT_CHARS;
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not cut a surrogate pair
  return line.slice(0, end);
}

export class RecordReportBuilder {
  private byKind = new Map<string, Map<string, Accumulator>>();
  private malformedCount = 0;
  private samples: MalformedSample[] = [];
  private nEvents = 0;
  private lineCount = 0;
  private cached: RecordReport | undefined;
  private readonly residents = new ResidentSeries();

  /** Valid events aggregated so far. */
  get eventCount(): number {
    return this.nEvents;
  }

  /** Forgets everything (the log was truncated or replaced). */
  reset(): void {
    this.byKind = new Map();
    this.malformedCount = 0;
    this.samples = [];
    this.nEvents = 0;
    this.lineCount = 0;
    this.cached = undefined;
    this.residents.clear();
  }

  /**
   * One line of the log without its '\n' (a trailing '\r' is dropped). Bytes that are not valid
   * UTF-8 make the line malformed; blank lines only count as lines.
   */
  addLine(line: string | Uint8Array, lineNo: number): void {
    if (typeof line !== 'string') {
      const bytes = Buffer.isBuffer(line) ? line : Buffer.from(line.buffer, line.byteOffset, line.byteLength);
      if (!isUtf8(bytes)) {
        if (!this.keepsSamples) {
          this.addMalformed(lineNo, '', '');
          return;
        }
        const at = firstInvalidUtf8(bytes);
        this.addMalformed(
          lineNo,
          `not valid UTF-8 (byte 0x${bytes[at].toString(16).padStart(2, '0')} at byte ${at + 1} of the line)`,
          bytes.subarray(0, 4 * SAMPLE_TEXT_CHARS).toString('utf8'),
        );
        return;
      }
      line = bytes.toString('utf8');
    }
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    this.addText(line, lineNo);
  }

  /** A decoded line without '\n' or trailing '\r'. The hot path of ingestion. */
  addText(line: string, lineNo: number): void {
    if (lineNo > this.lineCount) this.lineCount = lineNo;
    // A line starting with '{' is not blank; anything else is checked (cheap, and rare).
    if (line.charCodeAt(0) !== 123 && isBlankLine(line)) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      this.addMalformed(
        lineNo,
        this.keepsSamples ? `not JSON: ${error instanceof Error ? error.message : String(error)}` : '',
        line,
      );
      return;
    }
    const instant = checkUsageEvent(value);
    if (instant === undefined) {
      // zod words the reason (slow: ~15 µs a line), but only a sample keeps it; past the
      // samples a line is only counted, so a log of garbage ingests as fast as a valid one.
      this.addMalformed(lineNo, this.keepsSamples ? explainInvalidEvent(value) : '', line);
      return;
    }
    this.aggregate(value as UsageEvent, instant);
  }

  /** Whether the next malformed line is kept as a sample (so its reason is worth wording). */
  get keepsSamples(): boolean {
    return this.samples.length < MAX_MALFORMED_SAMPLES;
  }

  /** A valid event (e.g. from `parseEventLine`) found on line `lineNo`. */
  addEvent(event: UsageEvent, lineNo: number, instant?: Instant): void {
    if (lineNo > this.lineCount) this.lineCount = lineNo;
    const at = instant ?? parseRfc3339(event.occurred_at);
    if (at === undefined) {
      this.addMalformed(lineNo, explainInvalidEvent(event), JSON.stringify(event));
      return;
    }
    this.aggregate(event, at);
  }

  /** A line that is skipped; `lineStart` is its text (only the start is kept). */
  addMalformed(lineNo: number, reason: string, lineStart: string): void {
    if (lineNo > this.lineCount) this.lineCount = lineNo;
    this.malformedCount++;
    if (this.samples.length < MAX_MALFORMED_SAMPLES)
      this.samples.push({ line: lineNo, reason, text: sampleText(lineStart) });
    this.cached = undefined;
  }

  private aggregate(event: UsageEvent, instant: Instant): void {
    this.nEvents++;
    this.cached = undefined;
    const records = event.records;
    const isUse = event.event === 'use';
    const slot = SOURCE_SLOT[event.source];
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      let slugs = this.byKind.get(r.kind);
      if (slugs === undefined) {
        slugs = new Map();
        this.byKind.set(r.kind, slugs);
      }
      let acc = slugs.get(r.slug);
      if (acc === undefined) {
        acc = {
          kind: r.kind,
          slug: r.slug,
          useCount: 0,
          lastUsedAt: null,
          lastUsedInstant: undefined,
          sources: SOURCE_ORDER.map(() => 0),
          residentCount: 0,
          lastResidentTokens: 0,
        };
        slugs.set(r.slug, acc);
      }
      if (isUse) {
        acc.useCount++;
        acc.sources[slot]++;
        if (acc.lastUsedInstant === undefined || compareInstants(instant, acc.lastUsedInstant) >= 0) {
          acc.lastUsedInstant = instant;
          acc.lastUsedAt = event.occurred_at;
        }
      } else {
        acc.residentCount++;
        acc.lastResidentTokens = r.file_tokens_estimate;
        this.residents.add(instant.seconds, r.file_tokens_estimate);
      }
    }
  }

  /** Tokens of resident exposures per UTC day, oldest first; the last `limit` days when given. */
  residentByDay(limit?: number): ResidentDay[] {
    return this.residents.toArray(limit);
  }

  /** The report so far. Cached until the next change; treat it as read-only. */
  snapshot(): RecordReport {
    if (this.cached) return this.cached;
    const records: RecordStats[] = [];
    for (const kind of [...this.byKind.keys()].sort(compareUtf8)) {
      const slugs = this.byKind.get(kind)!;
      for (const slug of [...slugs.keys()].sort(compareUtf8)) {
        const a = slugs.get(slug)!;
        const source_breakdown: Record<string, number> = {};
        for (let s = 0; s < SOURCE_ORDER.length; s++) {
          const n = a.sources[SOURCE_SLOT[SOURCE_ORDER[s]]];
          if (n > 0) source_breakdown[SOURCE_ORDER[s]] = n;
        }
        const resident = residentTotal(a.lastResidentTokens, a.residentCount);
        records.push({
          kind: a.kind,
          slug: a.slug,
          use_count: a.useCount,
          last_used_at: a.lastUsedAt,
          source_breakdown,
          resident_exposure_count: a.residentCount,
          estimated_tokens_per_injection: a.lastResidentTokens,
          estimated_total_resident_exposure_tokens: resident.total,
          ...(resident.saturated ? { tokens_saturated: true as const } : {}),
        });
      }
    }
    this.cached = {
      records,
      malformed: { count: this.malformedCount, samples: this.samples.slice() },
      events: this.nEvents,
      lines: this.lineCount,
    };
    return this.cached;
  }
}
