// The parallel scan's last step, on the caller's side: the workers' partial trees joined into one
// SizeTree, as scanSync would have found it (see parallelScan.ts for why this is exact).
import { alreadyCounted, SeenDirs, type ScanResult } from './scanner';
import { compareKeys, keyOfDir } from './scanOrder';
import { forEachLink, pathOfDir, setCarrier, type SerializedTree } from './serializedTree';
import { SizeTree } from './sizeTree';
import type { ScanPart } from './partialScan';
import type { Steps } from '../sched/slices';

/**
 * Every hard-linked inode's bytes go to its name of smallest order key, whichever part it is in;
 * the others count zero (the parts' link entries are set in place).
 */
function markCarriers(parts: ScanPart[]): void {
  // Per inode ("dev:ino"): the part, link entry and key of the name carrying its bytes so far.
  const carrier = new Map<string, { part: number; entry: number; key: number[] | undefined }>();
  parts.forEach(({ tree: t, linkKeys }, part) => {
    forEachLink(t, (entry, file, { dev }) => {
      setCarrier(t, entry, false);
      const id = `${dev}:${t.fileInos[file]}`;
      const key = linkKeys[entry];
      const best = carrier.get(id);
      if (!best) carrier.set(id, { part, entry, key });
      else if (compareKeys(key, best.key) < 0) Object.assign(best, { part, entry, key });
    });
  });
  for (const { part, entry } of carrier.values()) setCarrier(parts[part].tree, entry, true);
}

function inside(path: string, folders: string[]): boolean {
  return folders.some((f) => path.startsWith(`${f}/`));
}

/**
 * Folders reached more than once, over all parts: per device and inode the copy of smallest key
 * stays; the others are to be emptied (`drop`, outermost only) and are reported in `notEntered`,
 * as scanSync reports them. `skipped` and `notEntered` lose what lies inside a dropped copy
 * (scanSync never went there).
 */
function resolveDuplicates(parts: ScanPart[]): {
  drop: string[];
  skipped: ScanResult['skipped'];
  notEntered: ScanResult['notEntered'];
} {
  const copies = new SeenDirs<Array<[number, number]>>();
  const groups: Array<Array<[number, number]>> = [];
  parts.forEach((p, i) => {
    for (let d = 0; d < p.dirDevs.length; d++) {
      if (Number.isNaN(p.dirDevs[d])) continue;
      const id = { dev: p.dirDevs[d], ino: p.dirInos[d] };
      const list = copies.get(id);
      if (list) {
        if (list.length === 1) groups.push(list);
        list.push([i, d]);
      } else copies.set(id, [[i, d]]);
    }
  });
  const dropped: Array<{ path: string; at: string }> = [];
  const unitKeys = parts.map((p) => new Map(p.unitKeys));
  for (const group of groups) {
    const ranked = group
      .map(([i, d]) => ({
        key: keyOfDir(d, parts[i].tree.dirParents, parts[i].dirSteps, unitKeys[i]),
        path: pathOfDir(parts[i].tree, d),
      }))
      .sort((a, b) => compareKeys(a.key, b.key));
    for (const copy of ranked.slice(1))
      if (copy.path !== ranked[0].path) dropped.push({ path: copy.path, at: ranked[0].path });
  }
  const drop = [...new Set(dropped.map((d) => d.path))].filter((p, _, all) => !inside(p, all)).sort();
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const notEntered = [
    ...parts.flatMap((p) => p.notEntered),
    ...dropped.filter((d) => drop.includes(d.path)).map((d) => ({ path: d.path, reason: alreadyCounted(d.at) })),
  ].filter((n) => !inside(n.path, drop));
  return {
    drop,
    skipped: parts.flatMap((p) => p.skipped).filter((s) => !inside(s.path, drop)),
    notEntered: notEntered.sort(byPath),
  };
}

/** A parallel scan's parts made ready to be adopted as one tree (buildTree), and what it skipped. */
export interface PreparedParts {
  /** The parts' trees, hard-linked names marked as carrying their inode's bytes or not. */
  trees: SerializedTree[];
  /** Folders reached a second time: emptied once the parts are one tree (outermost only). */
  drop: string[];
  skipped: ScanResult['skipped'];
  notEntered: ScanResult['notEntered'];
}

/**
 * What the merge decides across the parts, on their flat arrays (no tree yet): which copy of a
 * folder reached twice stays, and which name of each hard-linked inode carries its bytes. The
 * scan process does this and sends the parts as they are: the extension host adopts them as one
 * tree (buildTree), so the parts are not joined into a tree and flattened again on the way.
 */
export function prepareParts(parts: ScanPart[]): PreparedParts {
  const { drop, skipped, notEntered } = resolveDuplicates(parts);
  markCarriers(parts);
  return { trees: parts.map((p) => p.tree), drop, skipped, notEntered };
}

/**
 * Prepared parts as one tree, with checkpoints (slices.ts). The parts one after the other (every
 * part's folder 0 is the root; folders on the way to a unit appear in several parts and are joined
 * by name), each part's file arrays adopted as they came from its walker (it takes them over).
 */
export function* buildTree(root: string, trees: SerializedTree[], drop: string[]): Steps<SizeTree> {
  const tree = yield* SizeTree.deserializeSteps(root, trees);
  for (const rel of drop) tree.emptyFolder(rel);
  return tree;
}

/**
 * The parts as one tree, as scanSync would have found it (scanInWorker's last step), with
 * checkpoints (slices.ts): on the extension host it runs in slices.
 */
export function* mergeScan(root: string, parts: ScanPart[]): Steps<Omit<ScanResult, 'durationMs'>> {
  const { trees, drop, skipped, notEntered } = prepareParts(parts);
  return { tree: yield* buildTree(root, trees, drop), skipped, notEntered };
}
