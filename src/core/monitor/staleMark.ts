// How a view marks numbers that come from the stored sizes (FolderSnapshot.stale).

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "as of 10:42, verifying…" (with the date, "as of Nov 25 10:42, …", when not taken today). */
export function staleMark(at: number, now = Date.now()): string {
  const d = new Date(at);
  const today = new Date(now).toDateString() === d.toDateString();
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const day = today ? '' : `${d.toLocaleString('en-US', { month: 'short' })} ${d.getDate()} `;
  return `as of ${day}${time}, verifying…`;
}

/** The tooltip's sentence about stored numbers. */
export function staleNote(at: number, now = Date.now()): string {
  return `These numbers are from the sizes stored ${staleMark(at, now).replace(', verifying…', '')}; a scan is verifying them.`;
}
