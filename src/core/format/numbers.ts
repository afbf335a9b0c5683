// Counts and percentages as every presenter shows them (sizes: formatSize): the tree views, the
// status bar, the report page (compiled for the browser) write them alike.

/** "12,345": digits grouped the same whatever the page's locale. */
export function formatCount(n: number): string {
  return Number(n).toLocaleString('en-US');
}

/** "42%", "3.5%", "4%", "0%": one decimal below 10 %, where it still tells values apart. */
export function formatPercent(p: number): string {
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1).replace(/\.0$/, '')}%`;
}
