// Glob matching for exclude settings and area patterns, in time linear in the path for a given
// pattern. No RegExp is built from the pattern: a backtracking RegExp made from `*a*a*a*a*b` took
// minutes on a 200-character folder name, and its `.` skipped names holding a line terminator.
//
// Semantics: `**` as a whole segment is any depth (zero or more folders), `*` any run of
// characters except `/` (line terminators included), `?` one character (UTF-16 code unit) except
// `/`; every other character is literal. A glob without a slash matches a name at any depth
// (like .gitignore), and a match on a folder covers everything inside it. `**` beside other
// characters in a segment acts as `*`, as in .gitignore and VS Code.
//
// Method: the classic iterative wildcard algorithm, used twice. Within a segment, `*` keeps one
// backtrack point (the latest star); over segments, `**` keeps one (the latest globstar). Both are
// correct because a later star can absorb whatever an earlier one would have, so retrying only
// the latest one loses no match; the cost is O(path length x pattern length) at worst.

/** A pattern segment: a name pattern, or GLOBSTAR for `**` (zero or more segments). */
export const GLOBSTAR = Symbol('**');
export type GlobSegment = string | typeof GLOBSTAR;

let steps = 0;

/** Inner-loop iterations since the last reset, for tests and the bench to bound the work. */
export function globSteps(): number {
  return steps;
}

export function resetGlobSteps(): void {
  steps = 0;
}

/**
 * Drops `.` segments (so a leading `./`), repeated and trailing slashes, and runs of stars
 * inside a segment beyond `**`: `./work/` is `work`, `a//b` is `a/b`. Does not judge the result.
 */
export function normaliseGlob(glob: string): string {
  const absolute = glob.startsWith('/');
  const parts = glob.split('/').filter((p) => p !== '' && p !== '.');
  const joined = parts
    .map((p) => (/^\*+$/.test(p) ? (p.length >= 2 ? '**' : '*') : p.replace(/\*{2,}/g, '*')))
    .join('/');
  return absolute ? `/${joined}` : joined;
}

/** Why a glob (normalised or not) can never match a path inside the folder; undefined if it can. */
export function globProblem(glob: string): string | undefined {
  if (glob.includes('\0')) return 'it contains a NUL character, which no file name can';
  if (/^([/\\]|[A-Za-z]:[/\\])/.test(glob)) return 'it is an absolute path; patterns are relative to the folder';
  const normal = normaliseGlob(glob);
  if (normal.split('/').includes('..')) return 'it has a ".." segment, which would leave the folder';
  if (normal === '') return 'it is empty once "./" and slashes are dropped';
  return undefined;
}

/** Segments of a normalised pattern, as matched against a relative path. */
export function globSegments(glob: string): GlobSegment[] {
  return normaliseGlob(glob)
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (p === '**' ? GLOBSTAR : p));
}

/**
 * Compiles an exclude glob: a slash-less glob gets a leading `**`, and a trailing `**` becomes
 * `*` (`x/**` matched what is inside x, not x; a match on a folder covers the rest anyway).
 */
function compile(glob: string): GlobSegment[] {
  // A glob that can never match (absolute, "..", NUL, empty) is refused by the settings; one that
  // comes another way (e.g. VS Code's files.watcherExclude) matches nothing, as it did before.
  if (globProblem(glob) !== undefined) return [];
  const segments = globSegments(glob);
  if (segments.length === 1) segments.unshift(GLOBSTAR);
  if (segments[segments.length - 1] === GLOBSTAR) segments[segments.length - 1] = '*';
  return segments;
}

/** Whether one name (no `/` in it) matches one segment pattern of `*`, `?` and literals. */
export function matchSegment(name: string, pattern: string): boolean {
  let n = 0;
  let p = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    steps++;
    const c = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (c === 42 /* * */) {
      starP = p++;
      starN = n;
    } else if (c !== -1 && (c === 63 /* ? */ || c === name.charCodeAt(n))) {
      p++;
      n++;
    } else if (starP >= 0) {
      // Let the latest star take one more character and retry what follows it.
      p = starP + 1;
      n = ++starN;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/** Whether the segments match the path or a folder above it (a match covers what is inside). */
function matchSegments(path: readonly string[], pattern: readonly GlobSegment[]): boolean {
  let s = 0;
  let p = 0;
  let starP = -1;
  let starS = 0;
  while (p < pattern.length) {
    steps++;
    const seg = pattern[p];
    if (seg === GLOBSTAR) {
      starP = p++;
      starS = s;
    } else if (s < path.length && matchSegment(path[s], seg)) {
      p++;
      s++;
    } else if (starP >= 0 && starS < path.length) {
      // Let the latest `**` take one more folder and retry what follows it.
      p = starP + 1;
      s = ++starS;
    } else return false;
  }
  // Every pattern segment is used: the path is the match or lies inside it. A pattern of only
  // globstars is not compiled (compile turns a trailing one into `*`), so s > 0 here.
  return true;
}

const cache = new Map<string, GlobSegment[]>();
const CACHE_LIMIT = 1000;

function compiled(glob: string): GlobSegment[] {
  let segments = cache.get(glob);
  if (!segments) {
    segments = compile(glob);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(glob, segments);
  }
  return segments;
}

/** Whether a path relative to the folder (`/`-separated) is matched by the glob or lies inside a match. */
export function matchesGlob(relPath: string, glob: string): boolean {
  const segments = compiled(glob);
  return segments.length > 0 && matchSegments(relPath.split('/'), segments);
}

export function matchesAnyGlob(relPath: string, globs: readonly string[]): boolean {
  if (globs.length === 0) return false;
  const path = relPath.split('/');
  for (const g of globs) {
    const segments = compiled(g);
    if (segments.length > 0 && matchSegments(path, segments)) return true;
  }
  return false;
}
