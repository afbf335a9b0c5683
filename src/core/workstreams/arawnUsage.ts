// arawn's usage endpoint (`GET /api/v1/workstreams/:ws/usage`, DirectoryManager::get_usage),
// field for field, from the per-area figures: sizes in exact MiB (bytes / 1048576), sessions
// largest first (scratch only), total = production + work (not the whole folder), and warnings
// only strictly over a limit, worded as upstream. scratch has no work/ of its own: its work is
// the sum of its sessions.
import type { AreaFigure, Figures, Level } from './figures';
import { SCRATCH_WORKSTREAM } from './layout';

const MIB = 1_048_576;

export interface ArawnUsage {
  production_mb: number;
  work_mb: number;
  sessions?: Array<{ id: string; mb: number }>;
  total_mb: number;
  warnings?: string[];
}

export interface WorkstreamBytes {
  production: number;
  work: number;
  /** Largest first; ties by id. Only scratch has sessions. */
  sessions: Array<{ id: string; bytes: number; quotaBytes: number; level: Level }>;
  productionArea?: AreaFigure;
  workArea?: AreaFigure;
}

export const toMB = (bytes: number): number => bytes / MIB;

/** The bytes arawn counts for one workstream. */
export function workstreamBytes(f: Figures, ws: string): WorkstreamBytes {
  const mine = f.areas.filter((a) => a.workstream === ws);
  const productionArea = mine.find((a) => a.role === 'production');
  const scratch = ws === SCRATCH_WORKSTREAM;
  const sessions = scratch
    ? mine
        .filter((a) => a.role === 'session')
        .map((a) => ({ id: a.sessionId!, bytes: a.bytes, quotaBytes: a.quotaBytes, level: a.level }))
    : [];
  sessions.sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const workArea = scratch ? undefined : mine.find((a) => a.role === 'work');
  const work = scratch ? sessions.reduce((n, s) => n + s.bytes, 0) : (workArea?.bytes ?? 0);
  return { production: productionArea?.bytes ?? 0, work, sessions, productionArea, workArea };
}

/**
 * bytes / 2^20 with `decimals` digits, ties to even as Rust's `{:.N}` formats (1.5 -> "2",
 * 2.5 -> "2"); toFixed rounds ties up. bytes / 2^20 is exact in binary, so ties do occur (0.125).
 */
export function mibFixed(bytes: number, decimals: 0 | 2): string {
  const scale = decimals === 2 ? 100 : 1;
  const n = bytes * scale;
  let q = Math.floor(n / MIB);
  const twice = (n - q * MIB) * 2;
  if (twice > MIB || (twice === MIB && q % 2 === 1)) q++;
  return decimals === 0 ? String(q) : `${Math.floor(q / 100)}.${String(q % 100).padStart(2, '0')}`;
}

const limit = (quota: number): string => `${mibFixed(quota, 0)}MB`;
const mb = (bytes: number): string => `${mibFixed(bytes, 2)}MB`;
const pct = (bytes: number, quota: number): string => `${quota > 0 ? Math.round((bytes / quota) * 100) : 0}%`;

/**
 * Upstream's sentences for sizes strictly over a limit; at the warning fraction (and not over) an
 * extra "approaching" sentence, worded so that a reader matching upstream's never takes it for one.
 */
function warningsFor(b: WorkstreamBytes): string[] {
  const out: string[] = [];
  const check = (what: string, bytes: number, quota: number, level: Level) => {
    if (bytes > quota) out.push(`${what} exceeds ${limit(quota)} limit (${mb(bytes)})`);
    else if (level !== 'ok') out.push(`${what} approaching ${limit(quota)} limit (${mb(bytes)}, ${pct(bytes, quota)})`);
  };
  if (b.productionArea)
    check('production directory', b.production, b.productionArea.quotaBytes, b.productionArea.level);
  for (const s of b.sessions) check(`session ${s.id}`, s.bytes, s.quotaBytes, s.level);
  if (b.workArea) check('work directory', b.work, b.workArea.quotaBytes, b.workArea.level);
  return out;
}

/** The endpoint's body for `ws`, or undefined when it is not a served workstream (404). */
export function arawnUsage(f: Figures, ws: string): ArawnUsage | undefined {
  if (!f.workstreams.includes(ws)) return undefined;
  const b = workstreamBytes(f, ws);
  const warnings = warningsFor(b);
  // Upstream's field order; empty sessions and warnings are left out (skip_serializing_if).
  return {
    production_mb: toMB(b.production),
    work_mb: toMB(b.work),
    ...(b.sessions.length ? { sessions: b.sessions.map((s) => ({ id: s.id, mb: toMB(s.bytes) })) } : {}),
    total_mb: toMB(b.production + b.work),
    ...(warnings.length ? { warnings } : {}),
  };
}

export interface WorkstreamSummary {
  id: string;
  production_mb: number;
  work_mb: number;
  total_mb: number;
  /** The worst level among the workstream's areas. */
  level: Level;
}

/** `GET /api/v1/workstreams`: every served workstream with its totals, by id. */
export function workstreamList(f: Figures): { workstreams: WorkstreamSummary[] } {
  const rank: Record<Level, number> = { ok: 0, warning: 1, exceeded: 2 };
  return {
    workstreams: f.workstreams.map((id) => {
      const b = workstreamBytes(f, id);
      const counted = [
        b.productionArea,
        b.workArea,
        ...f.areas.filter((a) => a.workstream === id && a.role === 'session' && id === SCRATCH_WORKSTREAM),
      ];
      const level = counted.reduce<Level>((worst, a) => (a && rank[a.level] > rank[worst] ? a.level : worst), 'ok');
      return {
        id,
        production_mb: toMB(b.production),
        work_mb: toMB(b.work),
        total_mb: toMB(b.production + b.work),
        level,
      };
    }),
  };
}
