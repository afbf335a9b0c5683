// Minimal glob matching for exclude settings: `**` any depth, `*` within a segment, `?` one char.
// A glob without a slash matches a name at any depth (like .gitignore); a match on a folder
// covers everything inside it.
const cache = new Map<string, RegExp>();

function toRegExp(glob: string): RegExp {
  let g = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  if (!g.includes('/')) g = `**/${g}`;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      i++;
      if (g[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}

export function matchesGlob(relPath: string, glob: string): boolean {
  let re = cache.get(glob);
  if (!re) {
    re = toRegExp(glob);
    cache.set(glob, re);
  }
  return re.test(relPath);
}

export function matchesAnyGlob(relPath: string, globs: readonly string[]): boolean {
  for (const g of globs) if (matchesGlob(relPath, g)) return true;
  return false;
}
