// Shared test helpers for the usage log: event lines, temp folders, a small seeded RNG, and an
// independent reference implementation of the report (zod schema + naive aggregation +
// Buffer.compare sort) to check the optimised builder against.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { usageEventSchema } from '../../../src/core/log/usageEvent';
export { rng } from '../../support/rng';

export interface EventInit {
  id?: string;
  occurred_at?: string;
  segment_id?: string;
  event?: string;
  source?: string;
  records?: Array<{ kind: string; slug: string; file_bytes: number; file_tokens_estimate: number }>;
}

let counter = 0;
function uuid(n = ++counter): string {
  const hex = n.toString(16).padStart(12, '0');
  return `0190a5b2-1c2d-7e3f-8a4b-${hex}`;
}

export function snapshot(kind: string, slug: string, bytes: number) {
  return { kind, slug, file_bytes: bytes, file_tokens_estimate: Math.ceil(bytes / 4) };
}

export function event(init: EventInit = {}): Record<string, unknown> {
  return {
    id: init.id ?? uuid(),
    occurred_at: init.occurred_at ?? '2025-03-01T10:00:00Z',
    segment_id: init.segment_id ?? 'segment-a',
    event: init.event ?? 'use',
    source: init.source ?? 'MemoryRead',
    records: init.records ?? [snapshot('decision', 'alpha', 4)],
  };
}

export const line = (init: EventInit = {}) => JSON.stringify(event(init));

export function tempDir(prefix = 'wu-log-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Rust's char::is_whitespace, written out independently of the implementation. */
const RUST_WS = new Set([
  9, 10, 11, 12, 13, 32, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
  0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Instant of an RFC 3339 timestamp as a BigInt of nanoseconds (reference for comparisons). */
function referenceInstant(ts: string): bigint {
  const m = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:[Zz]|([+-])(\d\d):(\d\d))$/.exec(ts)!;
  const d = new Date(0);
  d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
  d.setUTCHours(+m[4], +m[5], 0, 0);
  let ns =
    BigInt(d.getTime()) * 1_000_000n + BigInt(+m[6]) * 1_000_000_000n + BigInt((m[7] ?? '').slice(0, 9).padEnd(9, '0'));
  if (m[8]) ns -= (m[8] === '-' ? -1n : 1n) * BigInt(+m[9] * 3600 + +m[10] * 60) * 1_000_000_000n;
  return ns;
}

export interface ReferenceRecord {
  kind: string;
  slug: string;
  use_count: number;
  last_used_at: string | null;
  source_breakdown: Record<string, number>;
  resident_exposure_count: number;
  estimated_tokens_per_injection: number;
  estimated_total_resident_exposure_tokens: number;
}

/**
 * The report by the specification, the slow obvious way: split the text on '\n', drop one
 * trailing '\r', skip blank lines, validate with the zod schema, aggregate, sort with Buffer.compare.
 * Returns the records and the line numbers of malformed lines.
 */
export function referenceReport(
  text: string,
  { finalLine = true } = {},
): { records: ReferenceRecord[]; malformedLines: number[]; events: number } {
  const parts = text.split('\n');
  if (!finalLine || parts[parts.length - 1] === '') parts.pop();
  const acc = new Map<string, ReferenceRecord & { at?: bigint }>();
  const malformedLines: number[] = [];
  let events = 0;
  parts.forEach((raw, i) => {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if ([...l].every((c) => RUST_WS.has(c.codePointAt(0)!))) return;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      malformedLines.push(i + 1);
      return;
    }
    const parsed = usageEventSchema.safeParse(value);
    if (!parsed.success) {
      malformedLines.push(i + 1);
      return;
    }
    events++;
    const e = parsed.data;
    for (const r of e.records) {
      const key = JSON.stringify([r.kind, r.slug]);
      let a = acc.get(key);
      if (!a) {
        a = {
          kind: r.kind,
          slug: r.slug,
          use_count: 0,
          last_used_at: null,
          source_breakdown: {},
          resident_exposure_count: 0,
          estimated_tokens_per_injection: 0,
          estimated_total_resident_exposure_tokens: 0,
        };
        acc.set(key, a);
      }
      if (e.event === 'use') {
        a.use_count++;
        a.source_breakdown[e.source] = (a.source_breakdown[e.source] ?? 0) + 1;
        const at = referenceInstant(e.occurred_at);
        if (a.at === undefined || at >= a.at) {
          a.at = at;
          a.last_used_at = e.occurred_at;
        }
      } else {
        a.resident_exposure_count++;
        a.estimated_tokens_per_injection = r.file_tokens_estimate;
      }
    }
  });
  const records = [...acc.values()].map(({ at: _at, ...r }) => ({
    ...r,
    source_breakdown: Object.fromEntries(
      Object.entries(r.source_breakdown).sort(([x], [y]) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
    ),
    estimated_total_resident_exposure_tokens: r.estimated_tokens_per_injection * r.resident_exposure_count,
  }));
  records.sort(
    (a, b) =>
      Buffer.compare(Buffer.from(a.kind), Buffer.from(b.kind)) ||
      Buffer.compare(Buffer.from(a.slug), Buffer.from(b.slug)),
  );
  return { records, malformedLines, events };
}
