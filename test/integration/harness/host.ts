// Starts the editor the integration tests drive, with the packaged extension installed.
//  - code-server (default): VS Code's workbench served on 127.0.0.1 and driven in Debian's
//    Chromium by playwright-core; the extension runs in code-server's Node extension host.
//  - electron (WORKSPACE_USAGE_TARGET=electron): desktop VS Code downloaded by
//    @vscode/test-electron and driven through playwright-core's Electron support, for machines
//    that can reach Microsoft's update servers. Both show the same workbench DOM, so the same
//    tests run against either.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, _electron, type Browser, type Page } from 'playwright-core';
// prettier-ignore
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureCodeServer, installExtension, prepareUserDataDir, startCodeServer } from '../../../scripts/lib/codeServer.mjs';

const repoRoot = resolve(__dirname, '../../..');
export const resultsDir = join(repoRoot, 'test-results');
const target = process.env.WORKSPACE_USAGE_TARGET === 'electron' ? 'electron' : 'code-server';

interface CodeServerHandle {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

let runDir = '';
let codeServer: CodeServerHandle | undefined;
let browser: Browser | undefined;
let electronExecutable: string | undefined;
let userDataDir = '';
let electronUserDataDir: string | undefined;

/** The editor's user data directory (where extension storage lives) of the last window opened. */
export function editorUserDataDir(): string {
  return target === 'electron' ? (electronUserDataDir ?? '') : userDataDir;
}

/**
 * The log files under the editor's user data directory whose names pass `match` (by default
 * every *.log: extension host, server, shared process), oldest first by modification.
 */
export function editorLogFiles(match: (name: string) => boolean = (name) => name.endsWith('.log')): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (match(e.name)) found.push(join(dir, e.name));
    }
  };
  walk(join(editorUserDataDir(), 'logs'));
  return found.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
}

/** Process ids of the processes on this machine whose command line holds `text` (from /proc; none elsewhere). */
export function pidsRunning(text: string): number[] {
  const pids: number[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) pids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** The editor's extension hosts running now (code-server's `--type=extensionHost` processes). */
export function extensionHostPids(): number[] {
  return pidsRunning('--type=extensionHost');
}

/** Waits until none of `pids` runs any more: a closed window's extension host has finished deactivating. */
export async function waitForExit(pids: number[], timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const running = pids.filter((pid) => existsSync(`/proc/${pid}`));
    if (!running.length) return;
    if (Date.now() > deadline)
      throw new Error(`extension host ${running.join(', ')} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The extension's own log files ("Workspace Usage.log", one per extension host), oldest first. */
export function extensionLogFiles(): string[] {
  return editorLogFiles((name) => name === 'Workspace Usage.log');
}

const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** Editor settings for a test run: trusted folders, no start page, no chat side bar. */
const EDITOR_SETTINGS = {
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Default Dark Modern',
  'files.simpleDialog.enable': true,
};

function findVsix(): string {
  const vsix = readdirSync(repoRoot)
    .filter((f) => /^workspace-usage-.*\.vsix$/.test(f))
    .sort()
    .pop();
  if (!vsix)
    throw new Error(
      'No workspace-usage-*.vsix in the repository root: run `npm run package` first (npm run test:integration does).',
    );
  return join(repoRoot, vsix);
}

/**
 * workspaceTrust: folders open untrusted unless the user trusts them (Restricted Mode tests).
 * extension: false starts the bare editor, without the VSIX (the bench's baseline).
 */
export async function startHost(
  options: { workspaceTrust?: boolean; extension?: boolean; extraVsix?: string[] } = {},
): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  runDir = mkdtempSync(join(resultsDir, 'run-'));
  userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  prepareUserDataDir(
    userDataDir,
    options.workspaceTrust
      ? {
          ...EDITOR_SETTINGS,
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.untrustedFiles': 'open',
        }
      : EDITOR_SETTINGS,
  );
  if (target === 'electron') {
    const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
    electronExecutable = await downloadAndUnzipVSCode('stable');
    return;
  }
  ensureCodeServer((m: string) => console.log(m));
  if (options.extension !== false)
    installExtension(findVsix(), { userDataDir, extensionsDir }, (m: string) => console.log(m));
  // Other extensions a test needs beside ours (e.g. a save participant: live.test.ts).
  for (const vsix of options.extraVsix ?? [])
    installExtension(vsix, { userDataDir, extensionsDir }, (m: string) => console.log(m));
  codeServer = await startCodeServer({
    userDataDir,
    extensionsDir,
    workspaceTrust: options.workspaceTrust,
    log: (m: string) => console.log(m),
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
}

/**
 * Removes a run's directory. The extension host may outlive code-server's stop by seconds and still
 * write its storage (history, stored sizes) meanwhile: ENOTEMPTY is retried for up to 30 s.
 */
async function removeRunDir(dir: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; ;) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function stopHost(): Promise<void> {
  await browser?.close();
  await codeServer?.stop();
  browser = undefined;
  codeServer = undefined;
  if (runDir && !process.env.KEEP_TEST_RUN) await removeRunDir(runDir);
  runDir = '';
}

/** A fresh editor host (new code-server, profile and browser) for a suite that needs a clean server state. */
export async function restartHost(options: { workspaceTrust?: boolean; extraVsix?: string[] } = {}): Promise<void> {
  await stopHost();
  await startHost(options);
}

/** Opens `folder` (or a .code-workspace file) in a fresh editor window; returns the page and a way to close it. */
export async function openEditorPage(
  folder: string,
  options: { sameProfile?: boolean } = {},
): Promise<{ page: Page; close(): Promise<void>; logs(): string }> {
  if (target === 'electron') {
    // code-server keeps one profile for the whole run; desktop windows get a fresh one unless
    // the test reopens a folder and needs what the extension stored in the previous window.
    const userDataDir =
      options.sameProfile && electronUserDataDir ? electronUserDataDir : mkdtempSync(join(runDir, 'electron-user-'));
    electronUserDataDir = userDataDir;
    prepareUserDataDir(userDataDir, EDITOR_SETTINGS);
    const app = await _electron.launch({
      executablePath: electronExecutable!,
      args: [
        folder,
        `--extensionDevelopmentPath=${repoRoot}`,
        `--user-data-dir=${userDataDir}`,
        `--extensions-dir=${join(runDir, 'electron-extensions')}`,
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-updates',
        '--no-sandbox',
        '--disable-gpu',
      ],
    });
    const page = await app.firstWindow();
    await page.setViewportSize({ width: 1400, height: 900 }).catch(() => undefined);
    return { page, close: () => app.close(), logs: () => '' };
  }
  const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  // A .code-workspace file opens as a multi-root workspace, anything else as a folder.
  const kind = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  await page.goto(`${codeServer!.url}/?${kind}=${encodeURIComponent(folder)}`);
  return {
    page,
    close: () => context.close(),
    logs: () => `${consoleLines.join('\n')}\n--- code-server ---\n${codeServer!.output()}`,
  };
}
