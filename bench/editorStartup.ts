// How soon a person opening the sample workspace in code-server sees a size: the time from
// opening the window (page navigation) to the first size in the status bar, and the extension's
// own figures from its log: activate() duration and first sizes after activation. Each round is
// a new window on a freshly generated sample workspace; medians over the rounds.
//   npx tsx bench/editorStartup.ts [ROUNDS]     (needs the packaged VSIX: npm run package)
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with `npm start`
import { createSampleWorkspace } from '../scripts/lib/sampleWorkspace.mjs';
import { editorUserDataDir, openEditorPage, startHost, stopHost } from '../test/integration/harness/host';
import { STATUS_ITEM_ID } from '../test/integration/harness/workbench';

const rounds = Number(process.argv[2] ?? 3);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Every "Workspace Usage.log" under the editor's user data dir, newest last. */
function extensionLogs(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name === 'Workspace Usage.log') found.push(join(d, e.name));
    }
  };
  walk(join(dir, 'logs'));
  return found.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
}

async function main(): Promise<void> {
  await startHost();
  const toStatus: number[] = [];
  const activation: number[] = [];
  const firstSizes: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const folder = createSampleWorkspace(join(mkdtempSync(join(tmpdir(), 'wu-bench-sample-')), 'sample-workspace'));
      const before = extensionLogs(editorUserDataDir()).length;
      const started = performance.now();
      const { page, close } = await openEditorPage(folder);
      await page.locator(`[id="${STATUS_ITEM_ID}"]`, { hasText: / (bytes|kB|MB|GB|TB) \/ / }).waitFor({ timeout: 120_000 });
      toStatus.push(performance.now() - started);
      await page.waitForTimeout(1000);
      const logs = extensionLogs(editorUserDataDir());
      const log = logs.length > before ? readFileSync(logs[logs.length - 1], 'utf8') : '';
      const act = /activated in ([\d.]+) ms/.exec(log);
      const first = /first sizes (\d+) ms after activation/.exec(log);
      if (act) activation.push(Number(act[1]));
      if (first) firstSizes.push(Number(first[1]));
      await close();
    }
  } finally {
    await stopHost();
  }
  const fmt = (v: number[]) => (v.length ? `${Math.round(median(v))} ms (runs: ${v.map((x) => Math.round(x)).join(', ')})` : 'not found in the log');
  console.log(`\nEditor startup on the sample workspace (code-server, ${rounds} windows, medians)`);
  console.log(`  window opened -> first size in the status bar: ${fmt(toStatus)}`);
  console.log(`  extension activate():                          ${activation.length ? `${median(activation).toFixed(1)} ms (runs: ${activation.map((x) => x.toFixed(1)).join(', ')})` : 'not found in the log'}`);
  console.log(`  activation -> first sizes:                     ${fmt(firstSizes)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
