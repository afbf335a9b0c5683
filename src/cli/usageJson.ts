// `usage --json` text: the report's JSON shape (core/report/usageWire.ts) as JSON.stringify
// prints it (the *_mb fields are MiB as doubles, inexact past 2^53 like any double), with two
// differences that only show when they apply, so ordinary output stays
// byte-identical: a byte count past 2^53 (where a double loses the last digits) is printed as its
// exact integer, from the tree's exact sums (JSON numbers are text of any length; parsers with
// BigInt support read them exactly); and an incomplete measurement adds "incomplete": true with
// the folders that were skipped, and folders not entered (reached twice, another file system)
// are listed in "not_entered".
import type { ExcludedLookup, UsageReport } from '../core/disk/areas';
import type { ScanResult } from '../core/disk/scanner';
import type { SizeTree } from '../core/disk/sizeTree';
import { usageToWire } from '../core/report/usageWire';

/** A string JSON.stringify cannot produce from a name (it escapes U+0000), replaced afterwards. */
const MARK = '\u0000exact:';
const MARKED = /"\\u0000exact:(-?\d+)"/g;

/** The exact value where the double is not; else the double, unchanged. */
function exactOr(value: number, exact: bigint | undefined): number | string {
  return exact !== undefined && !Number.isSafeInteger(value) ? `${MARK}${exact}` : value;
}

export function usageJson(
  report: UsageReport,
  tree: SizeTree,
  scan: Pick<ScanResult, 'skipped' | 'notEntered'>,
  excluded?: ExcludedLookup,
): string {
  const wire = usageToWire(report);
  // With --git-ignore, what .gitignore files leave out is taken off, as computeUsage does.
  const counted = (p: string) => {
    const e = tree.exact(p);
    if (!e) return undefined;
    const left = excluded?.under(p);
    return left ? { bytes: e.bytes - left.bytes, allocatedBytes: e.allocatedBytes - left.allocatedBytes } : e;
  };
  const total = counted('') ?? { bytes: 0n, allocatedBytes: 0n };
  const exactAreas = report.areas.map((a) => counted(a.path) ?? { bytes: 0n, allocatedBytes: 0n });
  // "other" as computeUsage makes it: the total less the outermost area folders (nested counted once).
  const paths = [...new Set(report.areas.map((a) => a.path))].sort();
  const outer = paths.filter((p) => !paths.some((q) => q !== p && (q === '' || p.startsWith(`${q}/`))));
  let inAreas = 0n;
  let allocInAreas = 0n;
  for (const p of outer) {
    const e = counted(p);
    if (e && tree.get(p)) {
      inAreas += e.bytes;
      allocInAreas += e.allocatedBytes;
    }
  }
  const areaOfSession = (id: string, area: string) =>
    report.areas.findIndex((a) => a.sessionId === id && a.areaName === area);
  const out: Record<string, unknown> = {
    ...wire,
    total_bytes: exactOr(wire.total_bytes, total.bytes),
    allocated_bytes: exactOr(wire.allocated_bytes, total.allocatedBytes),
    areas: wire.areas.map((a, i) => ({
      ...a,
      bytes: exactOr(a.bytes, exactAreas[i].bytes),
      allocated_bytes: exactOr(a.allocated_bytes, exactAreas[i].allocatedBytes),
    })),
    sessions: wire.sessions.map((s) => ({
      ...s,
      bytes: exactOr(s.bytes, exactAreas[areaOfSession(s.id, s.area)]?.bytes),
    })),
    other: {
      ...wire.other,
      bytes: exactOr(wire.other.bytes, total.bytes - inAreas),
      allocated_bytes: exactOr(wire.other.allocated_bytes, total.allocatedBytes - allocInAreas),
    },
  };
  if (scan.skipped.length > 0) {
    out.incomplete = true;
    out.skipped = scan.skipped.map((s) => ({ path: s.path, reason: s.reason }));
  }
  if (scan.notEntered.length > 0) out.not_entered = scan.notEntered.map((s) => ({ path: s.path, reason: s.reason }));
  return JSON.stringify(out, null, 2).replace(MARKED, '$1');
}
