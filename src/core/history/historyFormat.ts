// The on-disk format of the usage history: one JSONL file whose first line is a header and whose
// later lines are samples or the complete state of one day's activity (a later line for the same
// day replaces an earlier one). Parsing is lenient by design: the history must never be lost for
// one bad record, so a bad line is skipped and reported with its line number, and the caller
// repairs the file. Only a file that is not ours at all (another format, a newer version, or no
// readable record) is reported as a whole.
import * as z from 'zod';

export const FORMAT = 'workspace-usage-history';
export const VERSION = 1;

/** What a sample is taken from: any usage report of the disk engine fits. */
export interface SampleInput {
  total_bytes: number;
  files: number;
  /** Optional whole-folder quota, kept with the sample when given. */
  folder_quota_bytes?: number;
  areas: ReadonlyArray<{ name: string; bytes: number; files: number; quota_bytes: number }>;
}

interface AreaSample {
  bytes: number;
  files: number;
  quota_bytes: number;
}

export interface Sample {
  /** When it was taken, ms since the epoch. */
  at: number;
  total_bytes: number;
  files: number;
  folder_quota_bytes?: number;
  /** Per area name. Areas sharing a name (should not happen) are summed. */
  areas: Record<string, AreaSample>;
}

export interface DailyActivity {
  /** Local calendar day, 'YYYY-MM-DD'. */
  day: string;
  files_added: number;
  files_deleted: number;
  bytes_added: number;
  bytes_removed: number;
  /** Folder totals after the day's last event. */
  end_total_bytes: number;
  end_files: number;
}

// ---- schema ---------------------------------------------------------------------------------

const count = z.number().int().nonnegative();
const bytes = z.number().finite().nonnegative();
const headerSchema = z.object({ type: z.literal('header'), format: z.literal(FORMAT), version: z.literal(VERSION) });
const areaSampleSchema = z.object({ bytes, files: count, quota_bytes: bytes });
const sampleSchema = z.object({
  at: z.number().int().nonnegative(),
  total_bytes: bytes,
  files: count,
  folder_quota_bytes: bytes.optional(),
  areas: z.record(z.string(), areaSampleSchema),
});
const activitySchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  files_added: count,
  files_deleted: count,
  bytes_added: bytes,
  bytes_removed: bytes,
  end_total_bytes: bytes,
  end_files: count,
});
const lineSchema = z.discriminatedUnion('type', [
  sampleSchema.extend({ type: z.literal('sample') }),
  activitySchema.extend({ type: z.literal('activity') }),
]);

// ---- serialising ----------------------------------------------------------------------------

function headerLine(): string {
  return JSON.stringify({ type: 'header', format: FORMAT, version: VERSION });
}

export function sampleLine(s: Sample): string {
  return JSON.stringify({ type: 'sample', ...s });
}

/** Identity of a sample whatever the key order of its object (parsed and built ones differ). */
export function sampleKey(s: Sample): string {
  const areas = Object.keys(s.areas)
    .sort()
    .map((k) => [k, s.areas[k].bytes, s.areas[k].files, s.areas[k].quota_bytes]);
  return JSON.stringify([s.at, s.total_bytes, s.files, s.folder_quota_bytes ?? null, areas]);
}

export function activityLine(d: DailyActivity): string {
  return JSON.stringify({ type: 'activity', ...d });
}

/** The whole file: header, samples in order, then one line per day (oldest first). */
export function serialiseHistory(
  samples: readonly Sample[],
  activity: Iterable<DailyActivity>,
): { text: string; lines: number } {
  const days = [...activity].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const lines = [headerLine(), ...samples.map(sampleLine), ...days.map(activityLine)];
  return { text: `${lines.join('\n')}\n`, lines: lines.length };
}

// ---- parsing --------------------------------------------------------------------------------

/** A line that was skipped; `line` is 1-based in the file as read. */
export interface SkippedLine {
  line: number;
  reason: string;
}

export type ParseResult =
  | {
      kind: 'ok';
      samples: Sample[];
      activity: Map<string, DailyActivity>;
      /** Lines in the file (header included), for the compaction threshold. */
      lines: number;
      /** The last line was cut by a crash during an append (dropped without a warning). */
      tornTail: boolean;
      /** Damaged records, skipped; each worth a warning and a copy of the original. */
      skipped: SkippedLine[];
      /** The file differs from what serialising its records gives in a way appends would
       *  make worse (torn tail, zero bytes, blank lines, a missing final newline, skipped
       *  lines, a missing header): it should be rewritten now. */
      needsRepair: boolean;
    }
  | { kind: 'corrupt'; reason: string };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  return `${where}${issue.message}`;
}

type LineValue =
  { kind: 'sample'; sample: Sample } | { kind: 'activity'; day: DailyActivity } | { kind: 'bad'; reason: string };

function parseRecord(text: string): LineValue {
  const raw = parseJson(text);
  if (!raw.ok) return { kind: 'bad', reason: raw.reason };
  const parsed = lineSchema.safeParse(raw.value);
  if (!parsed.success) return { kind: 'bad', reason: issueText(parsed.error) };
  const line = parsed.data;
  if (line.type === 'sample') {
    const { type: _type, ...sample } = line;
    return { kind: 'sample', sample };
  }
  const { type: _type, ...day } = line;
  return { kind: 'activity', day };
}

/** A header line of ours, or why not; `foreign` means a header of another format or version. */
function parseHeader(text: string): 'ok' | 'foreign' | 'bad' {
  const raw = parseJson(text);
  if (!raw.ok) return 'bad';
  if (headerSchema.safeParse(raw.value).success) return 'ok';
  const v = raw.value as { type?: unknown } | null;
  return typeof v === 'object' && v !== null && v.type === 'header' ? 'foreign' : 'bad';
}

/**
 * Reads the history text. A header of another format or version, or a first line that is not a
 * header with no readable record after it, is 'corrupt' (the file is not ours to repair). Zero
 * bytes around lines (a crash on some file systems leaves them) are ignored; a bad last line with
 * no newline after it is a torn append, dropped silently; any other bad line is skipped and listed.
 */
export function parseHistoryText(text: string): ParseResult {
  const samples: Sample[] = [];
  const activity = new Map<string, DailyActivity>();
  const skipped: SkippedLine[] = [];
  const body = text.replace(/[\0\s]+$/, '');
  let needsRepair = text !== (body === '' ? '' : `${body}\n`);
  if (body === '') return { kind: 'ok', samples, activity, lines: 0, tornTail: text.length > 0, skipped, needsRepair };
  // The last line was complete only when a newline (not zero bytes or nothing) followed it.
  const lastComplete = text[body.length] === '\n';
  const lines = body.split('\n');
  let tornTail = false;
  const first = lines[0].replace(/^\0+/, '');
  const header = parseHeader(first);
  if (header === 'foreign') return { kind: 'corrupt', reason: 'line 1 is not a usage history header of this version' };
  if (header === 'bad') {
    skipped.push({ line: 1, reason: 'not a usage history header' });
    needsRepair = true;
  } else if (first !== lines[0]) {
    needsRepair = true;
  }
  for (let i = 1; i < lines.length; i++) {
    const cleaned = lines[i].replace(/^\0+|\0+$/g, '');
    if (cleaned !== lines[i]) needsRepair = true;
    if (cleaned.trim() === '') {
      // Blank or zero-filled: room a crashed append reserved and never filled; nothing lost.
      needsRepair = true;
      continue;
    }
    const record = parseRecord(cleaned);
    if (record.kind === 'sample') samples.push(record.sample);
    else if (record.kind === 'activity') activity.set(record.day.day, record.day);
    else if (i === lines.length - 1 && !lastComplete) tornTail = true;
    else skipped.push({ line: i + 1, reason: record.reason });
  }
  if (header === 'bad' && samples.length === 0 && activity.size === 0)
    return { kind: 'corrupt', reason: 'line 1 is not a usage history header' };
  if (tornTail || skipped.length) needsRepair = true;
  samples.sort((a, b) => a.at - b.at);
  return { kind: 'ok', samples, activity, lines: lines.length, tornTail, skipped, needsRepair };
}

// ---- building records -----------------------------------------------------------------------

export function finiteOr0(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

export function countOr0(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

export function sampleFrom(input: SampleInput, at: number): Sample {
  const areas: Record<string, AreaSample> = {};
  for (const a of input.areas) {
    const prev = Object.prototype.hasOwnProperty.call(areas, a.name) ? areas[a.name] : undefined;
    const cur = { bytes: finiteOr0(a.bytes), files: countOr0(a.files), quota_bytes: finiteOr0(a.quota_bytes) };
    areas[a.name] = prev
      ? {
          bytes: prev.bytes + cur.bytes,
          files: prev.files + cur.files,
          quota_bytes: prev.quota_bytes + cur.quota_bytes,
        }
      : cur;
  }
  const sample: Sample = {
    at: Math.round(at),
    total_bytes: finiteOr0(input.total_bytes),
    files: countOr0(input.files),
    areas,
  };
  if (input.folder_quota_bytes !== undefined && Number.isFinite(input.folder_quota_bytes))
    sample.folder_quota_bytes = finiteOr0(input.folder_quota_bytes);
  return sample;
}

export function copySample(s: Sample): Sample {
  return { ...s, areas: Object.fromEntries(Object.entries(s.areas).map(([k, v]) => [k, { ...v }])) };
}
