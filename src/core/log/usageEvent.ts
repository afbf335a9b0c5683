// One line of the usage event log, validated. The zod schema is the specification; a hand-written
// check that accepts exactly the same values (verified by a property test) runs first because it
// is several times faster, and zod is only consulted to word the reason when a line is rejected.
import * as z from 'zod';
import { isRfc3339, parseRfc3339, type Instant } from './timestamp';

// The log's vocabularies, declared once: the schema's enums, the hot path's checks, the error
// wording and the report's byte order all derive from these tables.
const USAGE_EVENT_KINDS = ['use', 'resident_exposure'] as const;
const USAGE_SOURCES = ['MemoryRead', 'KnowledgeRef', 'WorkflowInvoke', 'ResidentInjection'] as const;
type Source = (typeof USAGE_SOURCES)[number];
type EventKind = (typeof USAGE_EVENT_KINDS)[number];

/** Source names in byte order, as the source's BTreeMap prints them; a source's slot is its index. */
export const SOURCES_IN_BYTE_ORDER: readonly Source[] = [...USAGE_SOURCES].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
export const SOURCE_SLOT = Object.fromEntries(SOURCES_IN_BYTE_ORDER.map((s, i) => [s, i])) as Record<Source, number>;

const SOURCE_SET: ReadonlySet<string> = new Set(USAGE_SOURCES);
const KIND_SET: ReadonlySet<string> = new Set(USAGE_EVENT_KINDS);
const isSource = (v: unknown): v is Source => typeof v === 'string' && SOURCE_SET.has(v);
const isEventKind = (v: unknown): v is EventKind => typeof v === 'string' && KIND_SET.has(v);
/** 'expected "a", "b" or "c"' */
const expectedOneOf = (values: readonly string[]) =>
  `expected ${values
    .slice(0, -1)
    .map((v) => `"${v}"`)
    .join(', ')}${values.length > 1 ? ' or ' : ''}"${values[values.length - 1]}"`;

/** Any UUID version: 8-4-4-4-12 hex digits, either case. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** UUID_PATTERN without a regular expression (the hot path); a test checks they agree. */
export function isUuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) {
      return false;
    }
  }
  return true;
}

const MISSING = 'missing';
const U64_MESSAGE = 'must be a non-negative integer';
const U64_MAX_MESSAGE = `must be a non-negative integer up to ${Number.MAX_SAFE_INTEGER}`;
const LONE_SURROGATE = 'contains a lone surrogate (not valid Unicode)';

/** True unless the string holds an unpaired UTF-16 surrogate (which the source's JSON parser rejects). */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

const missingOr = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? MISSING : message);

const text = () => z.string({ error: missingOr('must be a string') }).refine(isWellFormed, LONE_SURROGATE);

const u64 = () =>
  z
    .number({ error: missingOr(U64_MESSAGE) })
    .int(U64_MESSAGE)
    .min(0, U64_MESSAGE)
    .max(Number.MAX_SAFE_INTEGER, U64_MAX_MESSAGE);

const usageRecordSnapshotSchema = z.object(
  {
    kind: text(),
    slug: text(),
    file_bytes: u64(),
    file_tokens_estimate: u64(),
  },
  { error: missingOr('must be an object') },
);

export const usageEventSchema = z.object(
  {
    id: z
      .string({ error: missingOr('must be a string') })
      .regex(UUID_PATTERN, 'must be a UUID (8-4-4-4-12 hex digits)'),
    occurred_at: z
      .string({ error: missingOr('must be a string') })
      .refine(isRfc3339, 'must be an RFC 3339 timestamp with a time zone, e.g. 2025-01-02T03:04:05Z'),
    segment_id: text(),
    event: z.enum(USAGE_EVENT_KINDS, { error: missingOr(expectedOneOf(USAGE_EVENT_KINDS)) }),
    source: z.enum(USAGE_SOURCES, { error: missingOr(expectedOneOf(USAGE_SOURCES)) }),
    records: z.array(usageRecordSnapshotSchema, { error: missingOr('must be an array') }),
  },
  { error: (issue) => `expected a JSON object, got ${describe(issue.input)}` },
);

export type UsageEvent = z.output<typeof usageEventSchema>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isU64(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && isWellFormed(value);
}

/**
 * The fast path: the instant of `occurred_at` when `value` satisfies `usageEventSchema`, else
 * undefined. Must accept exactly what the schema accepts (test/core/log/usageEvent.test.ts).
 */
export function checkUsageEvent(value: unknown): Instant | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const id = o.id;
  if (typeof id !== 'string' || !isUuid(id)) return undefined;
  const at = o.occurred_at;
  if (typeof at !== 'string') return undefined;
  const instant = parseRfc3339(at);
  if (instant === undefined) return undefined;
  if (!isText(o.segment_id)) return undefined;
  if (!isEventKind(o.event) || !isSource(o.source)) return undefined;
  const records = o.records;
  if (!Array.isArray(records)) return undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return undefined;
    if (!isText(r.kind) || !isText(r.slug) || !isU64(r.file_bytes) || !isU64(r.file_tokens_estimate)) return undefined;
  }
  return instant;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out;
}

/** Why `value` (already parsed JSON) is not a usage event, in one line, e.g. "records[0].file_bytes: must be a non-negative integer". */
export function explainInvalidEvent(value: unknown): string {
  const result = usageEventSchema.safeParse(value);
  if (result.success) return 'not a usage event';
  const issue = result.error.issues[0];
  const where = formatPath(issue.path);
  return where ? `${where}: ${issue.message}` : issue.message;
}

export type ParseEventResult = { ok: true; event: UsageEvent; instant: Instant } | { ok: false; reason: string };

/** Parses one log line (without its newline). Blank lines are the caller's business. */
export function parseEventLine(line: string): ParseEventResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const instant = checkUsageEvent(value);
  if (instant === undefined) return { ok: false, reason: explainInvalidEvent(value) };
  return { ok: true, event: value as UsageEvent, instant };
}
