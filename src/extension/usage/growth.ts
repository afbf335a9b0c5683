// What grew: per workspace folder the baseline chosen (workspaceUsage.baseline, or Compare With…
// for this workspace), loaded from the folder's history directory; the change of a folder against
// it for the nodes' descriptions; the changed subfolders for Sort by Growth; by-type counts on
// demand (cached per area until its size changes). Baselines are taken with each history sample
// and by Pin Baseline, from the size tree (no disk walk).
import * as vscode from 'vscode';
import {
  childIndex,
  encodeFolders,
  takeBaseline,
  type Baseline,
  type EncodedBaseline,
  type FolderSize,
  type FolderSizeAt,
} from '../../core/baseline/baseline';
import { BaselineStore, baselineLabel, BASELINE_KINDS, type BaselineKind } from '../../core/baseline/baselineStore';
import { changedNow, grewMost, type GrowthRow } from '../../core/baseline/diff';
import { byType, type ByType } from '../../core/disk/byType';
import { localDayKey } from '../../core/history/clock';
import type { FolderSnapshot, LargestEntry } from '../../core/monitor/folderSnapshot';
import type { FolderExtras } from '../../core/report/reportData';
import { Disposable } from '../lifecycle';
import type { WorkspaceModel } from '../workspaceModel';

const OVERRIDE_KEY = 'workspaceUsage.compareWith';
const ALL = Number.MAX_SAFE_INTEGER;
const REPORT_EVERY_MS = 5000;

interface Loaded {
  kind: BaselineKind;
  day: string;
  baseline: Baseline | undefined;
  index: Map<string, string[]>;
}

const lister = (s: FolderSnapshot) => (rel: string) => s.largest(rel, ALL);

export class Growth extends Disposable {
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly types = new Map<string, { key: string; result: Promise<ByType> }>();
  private readonly report = new Map<
    string,
    { key: string; extras: FolderExtras; running: boolean; startedAt: number; timer?: NodeJS.Timeout }
  >();
  private readonly reportChanged = this.register(new vscode.EventEmitter<void>());
  /** Report sections finished computing: post the report again. */
  readonly onDidChangeReport = this.reportChanged.event;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** A baseline was loaded, taken or chosen: descriptions change. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly model: WorkspaceModel,
    private readonly dirFor: (folder: string) => string,
    private readonly state: vscode.Memento,
    private readonly warn: (message: string) => void,
  ) {
    super();
    if (model.history)
      this.register(
        model.history.onSample((folder, sample) => void this.recordSample(folder, sample.at, sample.first)),
      );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('workspaceUsage.baseline')) return;
        void this.state.update(OVERRIDE_KEY, undefined).then(() => this.reloadAll());
      }),
    );
    this.register(model.onDidChange(() => this.ensureLoaded()));
  }

  /** The baseline compared with: Compare With… for this workspace, else the setting. */
  kind(): BaselineKind {
    const override = this.state.get<string>(OVERRIDE_KEY);
    const setting = vscode.workspace.getConfiguration('workspaceUsage').get<string>('baseline');
    const pick = (v: string | undefined) => BASELINE_KINDS.find((k) => k === v);
    return pick(override) ?? pick(setting) ?? 'lastSample';
  }

  label(): string {
    return baselineLabel(this.kind());
  }

  async compareWith(kind: BaselineKind): Promise<void> {
    await this.state.update(OVERRIDE_KEY, kind);
    await this.reloadAll();
  }

  private store(folder: string): BaselineStore {
    return new BaselineStore(this.dirFor(folder));
  }

  /** Loads (again) each folder's baseline when the kind or the day changed since. */
  private ensureLoaded(): void {
    const kind = this.kind();
    const day = localDayKey(Date.now());
    for (const s of this.model.snapshots()) {
      const l = this.loaded.get(s.folder);
      if (!this.loading.has(s.folder) && (!l || l.kind !== kind || l.day !== day)) void this.load(s.folder);
    }
  }

  private load(folder: string): Promise<void> {
    const kind = this.kind();
    const run = (this.loading.get(folder) ?? Promise.resolve()).then(async () => {
      const r = await this.store(folder).load(kind, Date.now());
      if (!r.ok) this.warn(r.error);
      const baseline = r.ok ? r.value?.baseline : undefined;
      this.loaded.set(folder, {
        kind,
        day: localDayKey(Date.now()),
        baseline,
        index: baseline ? childIndex(baseline) : new Map(),
      });
      this.changed.fire();
    });
    const done: Promise<void> = run
      .catch((error) =>
        this.warn(
          `The baseline of ${folder} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        if (this.loading.get(folder) === done) this.loading.delete(folder);
      });
    this.loading.set(folder, done);
    return done;
  }

  private async reloadAll(): Promise<void> {
    await Promise.all(this.model.snapshots().map((s) => this.load(s.folder)));
  }

  /** What a baseline of the folder is taken from: its folders' walk and its total, once it has numbers. */
  private sizesOf(folder: string): { folders: Iterable<FolderSizeAt>; root: FolderSize } | undefined {
    const s = this.model.snapshots().find((x) => x.folder === folder);
    return s?.usage && { folders: s.folderSizes(), root: { bytes: s.usage.totalBytes, files: s.usage.files } };
  }

  private async take(folder: string, at: number): Promise<Baseline | undefined> {
    const sizes = this.sizesOf(folder);
    return sizes && takeBaseline(sizes.folders, sizes.root, at);
  }

  /** The folder's sizes now as a baseline file's bytes (what the store writes). */
  private async encoded(folder: string, at: number): Promise<EncodedBaseline | undefined> {
    const sizes = this.sizesOf(folder);
    return sizes && encodeFolders(sizes.folders, sizes.root, at);
  }

  private async recordSample(folder: string, at: number, first: boolean): Promise<void> {
    const baseline = await this.encoded(folder, at);
    if (!baseline) return;
    const r = await this.store(folder).recordSample(baseline, first);
    if (!r.ok) this.warn(r.error);
    await this.load(folder);
  }

  /** Pins the sizes of now for every folder with sizes, and compares with them. */
  async pin(): Promise<number> {
    let pinned = 0;
    for (const s of this.model.snapshots()) {
      const baseline = await this.encoded(s.folder, Date.now());
      if (!baseline) continue;
      const r = await this.store(s.folder).pin(baseline);
      if (r.ok) pinned++;
      else this.warn(r.error);
    }
    await this.compareWith('pinned');
    return pinned;
  }

  /** When each kind's baseline of the first folder was taken (for the quick pick). */
  async describeKinds(): Promise<Array<{ kind: BaselineKind; at: number | undefined }>> {
    const folder = this.model.snapshots()[0]?.folder;
    return Promise.all(
      BASELINE_KINDS.map(async (kind) => {
        const r = folder ? await this.store(folder).load(kind, Date.now()) : undefined;
        return { kind, at: r?.ok ? r.value?.baseline.at : undefined };
      }),
    );
  }

  baselineOf(folder: string): Baseline | undefined {
    return this.loaded.get(folder)?.baseline;
  }

  /** A folder's change since the baseline; undefined without a baseline. */
  changeOf(folder: string, relPath: string, bytesNow: number): number | undefined {
    const baseline = this.baselineOf(folder);
    return baseline && bytesNow - (baseline.folders.get(relPath)?.bytes ?? 0);
  }

  /**
   * Changed subfolders of `relPath`, most growth first (removed ones last, with no bytes now);
   * undefined without a baseline (the caller lists the largest entries instead).
   */
  changedSubfolders(s: FolderSnapshot, relPath: string): LargestEntry[] | undefined {
    const l = this.loaded.get(s.folder);
    if (!l?.baseline) return undefined;
    const gone = (name: string, rel: string): LargestEntry => ({
      name,
      relPath: rel,
      isDirectory: true,
      bytes: 0,
      allocatedBytes: 0,
      files: 0,
    });
    return changedNow(l.baseline, l.index, relPath, s.largest(relPath, ALL), gone);
  }

  /** The report's "Grew most" rows for a folder (null without a baseline). */
  async grewMost(s: FolderSnapshot): Promise<{ since: string; at: number; rows: GrowthRow[] } | null> {
    const baseline = this.baselineOf(s.folder);
    if (!baseline) return null;
    const now = await this.take(s.folder, Date.now());
    return now
      ? { since: this.label(), at: baseline.at, rows: grewMost(baseline, now, { top: 10, depth: 2, perFolder: 5 }) }
      : null;
  }

  /** By-type counts under a folder, computed once per size of it. */
  byType(s: FolderSnapshot, relPath: string, bytes: number, files: number): Promise<ByType> {
    const id = `${s.folder}\0${relPath}`;
    const key = `${bytes}:${files}`;
    const cached = this.types.get(id);
    if (cached?.key === key) return cached.result;
    const result = byType(lister(s), relPath);
    this.types.set(id, { key, result });
    return result;
  }

  override dispose(): void {
    for (const entry of this.report.values()) if (entry.timer) clearTimeout(entry.timer);
    super.dispose();
  }

  /**
   * The report's "Grew most" and "By type" sections of a folder: what was computed last, while a
   * computation for the current sizes runs off the build (it fires onDidChangeReport when done).
   */
  reportExtras(folder: string): FolderExtras {
    const s = this.model.snapshots().find((x) => x.folder === folder);
    if (!s?.usage) return {};
    const baseline = this.baselineOf(folder);
    const key = `${s.usage.totalBytes}:${s.usage.files}:${this.kind()}:${baseline?.at ?? ''}`;
    const entry = this.report.get(folder) ?? { key: '', extras: {}, running: false, startedAt: -Infinity };
    this.report.set(folder, entry);
    // While files keep changing, counted again at most every REPORT_EVERY_MS (a full walk each).
    const wait = entry.startedAt + REPORT_EVERY_MS - Date.now();
    if (entry.key !== key && !entry.running && wait > 0) {
      entry.timer ??= setTimeout(() => {
        entry.timer = undefined;
        this.reportChanged.fire();
      }, wait);
    } else if (entry.key !== key && !entry.running) {
      entry.running = true;
      entry.startedAt = Date.now();
      const usage = s.usage;
      void (async () => {
        try {
          const grew = await this.grewMost(s);
          const types = await Promise.all(
            usage.areas.map(async (a) => {
              const t = await this.byType(s, a.path, a.bytes, a.files);
              return {
                area: a.sessionId ?? a.name,
                rel_path: a.path,
                rows: t.rows,
                other: { bytes: t.other.bytes, files: t.other.files, types: t.other.types },
              };
            }),
          );
          entry.extras = {
            grew_most: grew && {
              since: grew.since,
              at: grew.at,
              rows: grew.rows.map((r) => ({
                rel_path: r.relPath,
                depth: r.depth,
                before: r.before,
                after: r.after,
                delta: r.delta,
                status: r.status,
              })),
            },
            by_type: types,
          };
        } catch {
          // Counted again only when the sizes change: a failure here must not loop with the report.
        } finally {
          entry.key = key;
          entry.running = false;
        }
        this.reportChanged.fire();
      })();
    }
    return entry.extras;
  }
}
