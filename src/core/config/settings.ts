// The extension's settings (keys under `workspaceUsage.`), validated with zod.
// Shared by the editor (workspace configuration) and the headless command (.vscode/settings.json),
// so both read the same quotas. An invalid value never stops anything: it is reported once with
// the setting's name and replaced by its default.
import * as z from 'zod';
import { parse as parseJsoncText, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parseSize } from '../format/size';
import { globProblem, normaliseGlob } from '../paths/glob';

export const SETTINGS_SECTION = 'workspaceUsage';

/**
 * A schema built on first use. Building these took the headless command's start 15-20 ms (its CPU
 * profile on 50 files, of 70 in all), and a folder without settings of ours never needs them.
 */
function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/** A size given as a byte count or a string like "500 MB" (1024-based). */
const sizeSchema = lazy(() =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const bytes = parseSize(value);
    if (bytes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a size such as "500 MB" or a byte count, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return bytes;
  }),
);

const fractionSchema = lazy(() => z.number().gt(0, 'must be above 0').lte(1, 'must be at most 1'));

/**
 * A glob relative to the folder, normalised once here (`./work`, `work/` and `work//` are `work`)
 * so every matcher sees one spelling. A glob that can never match (absolute, a ".." segment,
 * empty, a NUL) is refused by name: an area quota that never applies would pass every check.
 */
const globSchema = lazy(() =>
  z
    .string()
    .min(1, 'must not be empty')
    .transform((glob, ctx) => {
      const problem = globProblem(glob);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(glob)} can never match: ${problem}` });
        return z.NEVER;
      }
      return normaliseGlob(glob);
    }),
);

const areaSchema = lazy(() =>
  z.object({
    /** Label shown in views and messages, e.g. "work". */
    name: z.string().min(1, 'must not be empty'),
    /** Glob relative to the folder, e.g. "work" or "sessions/*\/work". A `*` yields one row per match. */
    pattern: globSchema(),
    /** Quota in bytes (input may be "500 MB"). */
    quota: sizeSchema(),
    /**
     * Fraction of the quota at which the area turns to warning, or several warning steps (e.g.
     * [0.8, 0.9, 0.95]: each crossing is told once); defaults to `warningFraction`.
     */
    warningAt: z
      .union([
        fractionSchema(),
        z.array(fractionSchema()).min(1, 'must list at least one step').max(10, 'must list at most 10 steps'),
      ])
      .optional(),
  }),
);

export type AreaSetting = z.output<ReturnType<typeof areaSchema>>;

export const DEFAULT_AREAS: AreaSetting[] = [
  { name: 'production', pattern: 'production', quota: 1024 ** 3 },
  { name: 'work', pattern: 'work', quota: 500 * 1024 ** 2 },
  { name: 'sessions', pattern: 'sessions/*/work', quota: 100 * 1024 ** 2 },
];

/**
 * Where quota alerts are POSTed, besides the notification: an http(s) URL, or '' for none.
 * A workspace's own value is only used in a trusted workspace (the editor checks that).
 */
const webhookSchema = lazy(() =>
  z.string().refine((url) => {
    if (url === '') return true;
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL, or empty for none'),
);

/** Each setting's schema (built when a value is there to check) and default, keyed by its name below `workspaceUsage.`. */
const settingSchemas = {
  areas: { schema: lazy(() => z.array(areaSchema())), default: DEFAULT_AREAS },
  folderQuota: { schema: sizeSchema, default: 100 * 1024 ** 3 },
  warningFraction: { schema: fractionSchema, default: 0.8 },
  exclude: { schema: lazy(() => z.array(globSchema())), default: [] as string[] },
  usageLog: { schema: lazy(() => z.string()), default: '' },
  largestEntries: { schema: lazy(() => z.number().int().min(0).max(1000)), default: 10 },
  'watch.maxEntries': { schema: lazy(() => z.number().int().min(0)), default: 50_000 },
  reconcileIntervalMinutes: { schema: lazy(() => z.number().min(0)), default: 5 },
  'history.sampleIntervalHours': { schema: lazy(() => z.number().gt(0)), default: 24 },
  'history.retention': { schema: lazy(() => z.number().int().min(1).max(100_000)), default: 90 },
  alertWebhook: { schema: webhookSchema, default: '' },
  residentTokenBudget: { schema: lazy(() => z.number().int().min(0)), default: 0 },
  contextWindowTokens: { schema: lazy(() => z.number().int().min(1)), default: 200_000 },
  oneFileSystem: { schema: lazy(() => z.boolean()), default: false },
  useGitIgnore: { schema: lazy(() => z.boolean()), default: false },
} as const;

export type SettingKey = keyof typeof settingSchemas;
const SETTING_KEYS = Object.keys(settingSchemas) as SettingKey[];

export interface Settings {
  areas: AreaSetting[];
  /** Whole-folder quota in bytes. */
  folderQuota: number;
  /** Default warning fraction for areas without `warningAt`, and for the folder. */
  warningFraction: number;
  /** Globs (relative to the folder) left out of every count. */
  exclude: string[];
  /** Usage log path relative to the folder (or absolute); empty: `.yoi/usage.jsonl`, else `.yoi/memory/_usage/events.jsonl`. */
  usageLog: string;
  /** How many largest subfolders and files to list under each area. */
  largestEntries: number;
  /** Above this many entries a folder is not watched per entry but rescanned periodically. */
  watchMaxEntries: number;
  /** Minutes between reconcile scans that repair drift from missed events (0: never). */
  reconcileIntervalMinutes: number;
  historySampleIntervalHours: number;
  historyRetention: number;
  /** URL that quota alerts are POSTed to ('' for none; trusted workspaces only). */
  alertWebhook: string;
  /** Tokens that resident memory may take per injection (0: no budget). */
  residentTokenBudget: number;
  /** The agent's context window in tokens, for the resident share. */
  contextWindowTokens: number;
  /** Do not enter folders on other file systems (mount points), like du -x. */
  oneFileSystem: boolean;
  /** Leave paths that .gitignore files ignore out of every count (shown as "excluded" instead). */
  useGitIgnore: boolean;
}

export interface SettingError {
  /** Full setting name, e.g. "workspaceUsage.areas". */
  setting: string;
  /** One precise sentence for the user (the editor goes on with the default). */
  message: string;
  /** What is wrong, without what happens next (for the headless command, which stops). */
  problem: string;
}

function fieldName(key: SettingKey): keyof Settings {
  const map: Record<SettingKey, keyof Settings> = {
    areas: 'areas',
    folderQuota: 'folderQuota',
    warningFraction: 'warningFraction',
    exclude: 'exclude',
    usageLog: 'usageLog',
    largestEntries: 'largestEntries',
    'watch.maxEntries': 'watchMaxEntries',
    reconcileIntervalMinutes: 'reconcileIntervalMinutes',
    'history.sampleIntervalHours': 'historySampleIntervalHours',
    'history.retention': 'historyRetention',
    alertWebhook: 'alertWebhook',
    residentTokenBudget: 'residentTokenBudget',
    contextWindowTokens: 'contextWindowTokens',
    oneFileSystem: 'oneFileSystem',
    useGitIgnore: 'useGitIgnore',
  };
  return map[key];
}

export function defaultSettings(): Settings {
  return parseSettings(() => undefined).settings;
}

/**
 * The value of a dotted key (`watch.maxEntries`) inside one level's object of the whole section, as
 * the editor gives it when the section is inspected at once (its keys nested at their dots):
 * undefined when that level does not set it. Own properties only (a key named `constructor` or
 * `__proto__` in a settings file reads as what it says, nothing inherited).
 */
export function settingIn(level: unknown, key: string): unknown {
  let value = level;
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/**
 * Reads every setting through `get` (which returns the raw value or undefined when unset),
 * validates it and falls back to the default for each invalid one, with an error naming it.
 */
export function parseSettings(get: (key: SettingKey) => unknown): { settings: Settings; errors: SettingError[] } {
  const errors: SettingError[] = [];
  const settings = {} as Record<keyof Settings, unknown>;
  for (const key of SETTING_KEYS) {
    const { schema, default: fallback } = settingSchemas[key];
    const raw = get(key);
    let value: unknown = fallback;
    if (raw !== undefined && raw !== null) {
      const result = (schema() as z.ZodType).safeParse(raw);
      if (result.success) {
        value = result.data;
      } else {
        const issue = result.error.issues[0];
        const where = issue.path.length
          ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
          : '';
        const problem = `${SETTINGS_SECTION}.${key}${where}: ${issue.message}`;
        errors.push({
          setting: `${SETTINGS_SECTION}.${key}`,
          problem,
          message: `${problem}; using the default instead.`,
        });
      }
    }
    settings[fieldName(key)] = value;
  }
  const result = settings as unknown as Settings;
  const duplicate = result.areas.map((a) => a.name).find((n, i, all) => all.indexOf(n) !== i);
  if (duplicate !== undefined) {
    const problem = `${SETTINGS_SECTION}.areas: the name "${duplicate}" is used twice`;
    errors.push({
      setting: `${SETTINGS_SECTION}.areas`,
      problem,
      message: `${problem}; using the default areas instead.`,
    });
    result.areas = DEFAULT_AREAS;
  }
  return { settings: result, errors };
}

/**
 * Reads the extension's keys from a `.vscode/settings.json` object, which may use the flat
 * form ("workspaceUsage.areas": ...) or the nested one ("workspaceUsage": {"areas": ...}).
 */
export function settingsFromJson(json: Record<string, unknown>): { settings: Settings; errors: SettingError[] } {
  const nested = json[SETTINGS_SECTION];
  return parseSettings((key) => {
    const flat = json[`${SETTINGS_SECTION}.${key}`];
    return flat !== undefined ? flat : settingIn(nested, key);
  });
}

/** Parses JSON with comments and trailing commas, as VS Code's settings files allow; throws on a syntax error. */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parseJsoncText(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0];
    const line = text.slice(0, first.offset).split('\n').length;
    throw new Error(`${printParseErrorCode(first.error)} at line ${line}`);
  }
  return value;
}
