// The exclude glob that leaves out exactly one folder, for Exclude from Usage / Include Again.
//
// The exclude syntax (src/core/paths/glob.ts) has no escapes and no anchor for one segment: a
// slash-less glob such as `work` matches a folder named work at ANY depth (so it would also drop
// `sessions/x/work`). So a top-level folder is written `work/**`, which is anchored (two
// segments) and covers everything inside work (the empty folder itself still counts 0 bytes);
// a deeper folder is its path, `sessions/x/work`, anchored already. A name holding `*` or `?`
// would be read as a wildcard and drop other folders too: such folders are refused by name.

export type ExcludeGlob = { ok: true; glob: string } | { ok: false; reason: string };

export function excludeGlobFor(relPath: string): ExcludeGlob {
  const segments = relPath.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0)
    return { ok: false, reason: 'the workspace folder itself cannot be excluded from its own usage' };
  if (segments.includes('..')) return { ok: false, reason: `${relPath} is outside the folder` };
  const wild = segments.find((s) => s.includes('*') || s.includes('?'));
  if (wild !== undefined)
    return {
      ok: false,
      reason: `the name "${wild}" holds * or ?, which exclude globs read as wildcards (it would leave out other folders too)`,
    };
  return { ok: true, glob: segments.length === 1 ? `${segments[0]}/**` : segments.join('/') };
}

/** The excludes with `glob` added (once, at the end). */
export function withExclude(excludes: readonly string[], glob: string): string[] {
  return excludes.includes(glob) ? [...excludes] : [...excludes, glob];
}

/** The excludes without `glob`. */
export function withoutExclude(excludes: readonly string[], glob: string): string[] {
  return excludes.filter((g) => g !== glob);
}
