// Git's ignore rules over a folder: every `.gitignore` applies to its own folder's subtree, and
// for a path the nearest one with a matching line decides (a deeper file over a shallower one,
// a later line over an earlier one; `.git/info/exclude` comes last, below the folder's own
// .gitignore). That a path inside an ignored folder cannot be re-included is left to the callers,
// which never look inside an ignored folder (gitIgnored.ts).
//
// The patterns themselves are matched by the `ignore` package (the one eslint, prettier and
// globby use): it implements git's rules (negation, anchoring with a leading or middle slash, a
// trailing slash for folders only, `**`, escaped `\#` `\!` and trailing spaces) that would be
// easy to get subtly wrong by hand. Case-sensitive, as git is by default on Linux.
import ignore, { type Ignore } from 'ignore';
import { readIgnoreFile } from './ignoreFile';

/**
 * After this many tests a matcher starts afresh: `ignore` caches the result of every path (and of
 * each of its parent folders) it was asked about, in an object per instance, and has no public
 * way to test without it (test, ignores and checkIgnore all go through it; the only options are
 * ignorecase and allowRelativePaths). Keeping that cache small bounds its memory; emptied more
 * often it costs more, since the parents it holds are then tested again (measured in bench/).
 */
const CACHE_RESET = 4096;

export type Verdict = 'ignored' | 'unignored' | undefined;

/** The rules of one ignore file. */
export class IgnoreMatcher {
  /** The parsed rules, never tested: fresh instances take them (add(Ignore) shares the compiled rules). */
  private readonly rules: Ignore;
  private ig: Ignore;
  private tests = 0;

  constructor(text: string) {
    this.rules = ignore({ ignorecase: false }).add(text);
    this.ig = this.fresh();
  }

  private fresh(): Ignore {
    return ignore({ ignorecase: false }).add(this.rules);
  }

  /** Drops the per-path cache (after a walk: it would only hold memory). */
  releaseCache(): void {
    if (this.tests === 0) return;
    this.ig = this.fresh();
    this.tests = 0;
  }

  /** `relPath` relative to the ignore file's folder; folders are matched with a trailing slash. */
  test(relPath: string, isDir: boolean): Verdict {
    if (++this.tests > CACHE_RESET) {
      this.ig = this.fresh();
      this.tests = 1;
    }
    try {
      const r = this.ig.test(isDir ? `${relPath}/` : relPath);
      return r.ignored ? 'ignored' : r.unignored ? 'unignored' : undefined;
    } catch {
      return undefined; // a name the library calls invalid is matched by no rule
    }
  }
}

export const IGNORE_FILE = '.gitignore';
export const INFO_EXCLUDE = '.git/info/exclude';

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** The folders above a path, nearest first ('' last). */
export function parentsOf(relPath: string): string[] {
  const out: string[] = [];
  for (let i = relPath.lastIndexOf('/'); i > 0; i = relPath.lastIndexOf('/', i - 1)) out.push(relPath.slice(0, i));
  out.push('');
  return out;
}

/**
 * The ignore files of one folder, read when first needed and kept until `forget`. `report` is told
 * of each file that is refused (ignoreFile.ts), which then counts as no rules.
 */
export class IgnoreRules {
  private readonly byDir = new Map<string, IgnoreMatcher | null>();
  private exclude: IgnoreMatcher | null | undefined;
  /** Matcher tests run (for tests and the bench: the work a change costs). */
  tests = 0;

  constructor(
    private readonly folder: string,
    private readonly report: (relPath: string, problem: string) => void,
  ) {}

  /** The rules of `dir`'s .gitignore; `present` says whether the file exists (the tree knows). */
  at(dir: string, present: boolean): IgnoreMatcher | null {
    const known = this.byDir.get(dir);
    if (known !== undefined) return known;
    const matcher = present ? this.read(join(dir, IGNORE_FILE)) : null;
    this.byDir.set(dir, matcher);
    return matcher;
  }

  private read(relPath: string): IgnoreMatcher | null {
    const got = readIgnoreFile(this.folder, relPath);
    if (got.kind === 'text') return new IgnoreMatcher(got.text);
    if (got.kind === 'refused') this.report(relPath, got.problem);
    return null;
  }

  /** Reads `dir`'s rules again next time (the file changed), and those of every folder below it. */
  forget(dir: string): void {
    if (dir === '') {
      this.byDir.clear();
      this.exclude = undefined;
      return;
    }
    for (const key of [...this.byDir.keys()]) if (key === dir || key.startsWith(`${dir}/`)) this.byDir.delete(key);
  }

  /** Empties every matcher's per-path cache (the rules stay read). */
  releaseCaches(): void {
    for (const m of this.byDir.values()) m?.releaseCache();
    this.exclude?.releaseCache();
  }

  forgetInfoExclude(): void {
    this.exclude = undefined;
  }

  /**
   * The rules that apply inside the folder `dir`, nearest first. `hasIgnoreFile(d)` says whether
   * the folder `d` has a .gitignore (asked only for folders whose rules are not known yet).
   */
  chainFor(dir: string, hasIgnoreFile: (dir: string) => boolean): RuleChain {
    const chain: RuleChain = [];
    for (const d of dir === '' ? [''] : [dir, ...parentsOf(dir)]) {
      const rules = this.byDir.has(d) ? this.byDir.get(d)! : this.at(d, hasIgnoreFile(d));
      if (rules) chain.push({ dir: d, rules });
    }
    return chain;
  }

  /** Whether `relPath` is ignored under `chain` (its folder's; chainFor), its parents assumed not to be. */
  ignoredIn(chain: RuleChain, relPath: string, isDir: boolean): boolean {
    this.tests++;
    for (const { dir, rules } of chain) {
      const verdict = rules.test(dir === '' ? relPath : relPath.slice(dir.length + 1), isDir);
      if (verdict !== undefined) return verdict === 'ignored';
    }
    if (this.exclude === undefined) this.exclude = this.read(INFO_EXCLUDE);
    return this.exclude?.test(relPath, isDir) === 'ignored';
  }
}

/** The ignore files that apply in a folder, nearest first. */
export type RuleChain = Array<{ dir: string; rules: IgnoreMatcher }>;
