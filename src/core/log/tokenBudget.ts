// The token budget of agent memory: how many tokens the resident records put into every
// injection (each record's `estimated_tokens_per_injection`, the size of its latest resident
// exposure, for records exposed at least once: records never injected count zero), against the
// user's budget and as a share of the context window; each record's share; and the tokens
// injected per day for the report page. Plain arithmetic, no editor.

/** The fields of a record's stats (RecordStats or RecordRow) the budget reads. */
export interface ResidentRecord {
  kind: string;
  slug: string;
  resident_exposure_count: number;
  estimated_tokens_per_injection: number;
}

export interface ResidentShare {
  kind: string;
  slug: string;
  /** Tokens per injection. */
  tokens: number;
  /** Share of the resident total, 0..1. */
  share: number;
}

/** 'off': no budget set (0); 'ok': at or under; 'over': the resident tokens exceed it. */
export type BudgetLevel = 'off' | 'ok' | 'over';

export interface ResidentSummary {
  /** Tokens per injection summed over resident records. */
  tokens: number;
  /** 0: no budget. */
  budget: number;
  level: BudgetLevel;
  contextWindow: number;
  /** Share of the context window, 0..; above 1 when the residents alone overflow it. */
  contextShare: number;
  /** Resident records, largest first (then kind and slug). */
  records: ResidentShare[];
}

/** Tokens injected on one day (UTC), summed over that day's resident exposures. */
export interface ResidentDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  tokens: number;
  /** Record entries of resident exposures that day. */
  exposures: number;
}

/** The tokens one record puts into each injection: zero when it was never injected. */
function residentTokens(record: ResidentRecord): number {
  return record.resident_exposure_count > 0 ? record.estimated_tokens_per_injection : 0;
}

export function budgetLevel(tokens: number, budget: number): BudgetLevel {
  if (budget <= 0) return 'off';
  return tokens > budget ? 'over' : 'ok';
}

export function residentSummary(
  records: readonly ResidentRecord[],
  budget: number,
  contextWindow: number,
): ResidentSummary {
  let tokens = 0;
  const shares: ResidentShare[] = [];
  for (const r of records) {
    const t = residentTokens(r);
    if (r.resident_exposure_count <= 0) continue;
    tokens += t;
    shares.push({ kind: r.kind, slug: r.slug, tokens: t, share: 0 });
  }
  for (const s of shares) s.share = tokens > 0 ? s.tokens / tokens : 0;
  shares.sort(
    (a, b) =>
      b.tokens - a.tokens ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );
  return {
    tokens,
    budget,
    level: budgetLevel(tokens, budget),
    contextWindow,
    contextShare: contextWindow > 0 ? tokens / contextWindow : 0,
    records: shares,
  };
}

/** "1,240", or "200k" / "1.5k" when `short`. */
export function formatTokens(n: number, short = false): string {
  if (short && n >= 1000) {
    const k = n / 1000;
    return `${Number.isInteger(k) || k >= 100 ? Math.round(k) : Math.round(k * 10) / 10}k`;
  }
  return n.toLocaleString('en-US');
}

/** A share as a percentage: one decimal below 10%, whole above ("0.6%", "12%"). */
export function formatShare(share: number): string {
  const p = share * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return p < 10 ? `${Math.round(p * 10) / 10}%` : `${Math.round(p)}%`;
}

/** "Resident: 1,240 tokens of 1,000 budget · 0.6% of 200k context" (no budget part when off). */
export function residentLine(s: Pick<ResidentSummary, 'tokens' | 'budget' | 'contextWindow' | 'contextShare'>): string {
  const budget = s.budget > 0 ? ` of ${formatTokens(s.budget)} budget` : '';
  return `Resident: ${formatTokens(s.tokens)} tokens${budget} · ${formatShare(s.contextShare)} of ${formatTokens(s.contextWindow, true)} context`;
}

const SECONDS_PER_DAY = 86_400;

/** The UTC day number (days since 1970-01-01) of an instant in seconds. */
function dayNumber(seconds: number): number {
  return Math.floor(seconds / SECONDS_PER_DAY);
}

/** YYYY-MM-DD of a UTC day number (years 0..9999, as the log's timestamps). */
export function dayText(day: number): string {
  return new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10);
}

/**
 * Per-day sums of resident tokens, for the days that had exposures, oldest first. Adds by day
 * number (the builder calls `add` once per record entry of a resident exposure).
 */
export class ResidentSeries {
  private readonly days = new Map<number, { tokens: number; exposures: number }>();

  add(seconds: number, tokens: number): void {
    const day = dayNumber(seconds);
    const entry = this.days.get(day);
    if (entry) {
      entry.tokens += tokens;
      entry.exposures++;
    } else this.days.set(day, { tokens, exposures: 1 });
  }

  clear(): void {
    this.days.clear();
  }

  /** The last `limit` days with exposures (all when omitted), oldest first. */
  toArray(limit?: number): ResidentDay[] {
    const keys = [...this.days.keys()].sort((a, b) => a - b);
    const kept = limit !== undefined && keys.length > limit ? keys.slice(keys.length - limit) : keys;
    return kept.map((d) => ({ day: dayText(d), ...this.days.get(d)! }));
  }
}
