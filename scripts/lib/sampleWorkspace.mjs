// Generates the sample agent workspace that `npm start` opens: data areas with sizes that show
// each quota level, per-session work folders, and a `.yoi/` memory tree with a usage log.
// Large files are sparse (apparent size counts, almost no disk is used).
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MB = 1024 * 1024;

function file(root, rel, content) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

// Also in test/integration/harness/fixtures.ts: `npm start` runs this file with plain node, which
// cannot import that TypeScript module.
function sparse(root, rel, bytes) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

// The resident records (summary and decisions, injected into every session) are sized like real
// ones: an agent's summary runs to a few hundred tokens, a decision record to about a hundred, so
// the resident context (about 600 tokens per injection) is well above a 100-token budget.
const SUMMARY = `# Summary

The agent maintains the nightly data pipeline of the analytics team: it ingests the order and
clickstream exports from the warehouse, joins them in \`work/\`, and publishes the daily Parquet
exports and the ranking model under \`production/\`, which the dashboards and the API read.

## Current state
- The nightly run starts at 02:00 UTC and takes about 40 minutes; the last 14 runs succeeded.
- Exports are partitioned by day (\`production/exports/YYYY-MM-DD.parquet\`), kept for 90 days.
- The ranker is retrained weekly on Sundays; the current model is \`production/models/ranker.bin\`.
- Session work folders (\`sessions/<id>/work/\`) hold downloads and caches of one session only;
  they are cleaned up by the owner of the session, never by the nightly run.

## Open threads
- The clickstream export grew 30% since October: watch the \`production\` quota (1 GB).
- Backfill of 2026-11-02..05 is pending a fixed upstream schema (see the backfill workflow).
- The weekly digest of failed runs is requested but not yet scheduled.

## People
- Data owner: the analytics team; escalations go to the on-call data engineer.
- Dashboards read the exports at 06:00 UTC: a run that is late past 05:30 must page.
`;

const records = [
  ['summary', 'summary', 'memory/summary.md', SUMMARY],
  [
    'decision',
    'use-parquet',
    'memory/decisions/use-parquet.md',
    '# Use Parquet for exports\n\n' +
      'Decided 2026-09-14. Exports are written as Parquet (snappy), one file per day.\n\n' +
      'Why: columnar and compressed (a day is 4x smaller than the CSV was), typed, and read by every\n' +
      'tool we use (the dashboards, pandas, DuckDB). CSV stays only in `work/` for quick looks.\n\n' +
      'Consequence: schema changes are explicit; a new column needs a migration note in the summary.\n',
  ],
  [
    'decision',
    'retry-policy',
    'memory/decisions/retry-policy.md',
    '# Retry policy\n\n' +
      'Decided 2026-10-03. A failed step is retried three times with exponential backoff (1, 4 and\n' +
      '16 minutes), then the run stops and pages a human; a partial export is never published.\n\n' +
      'Why: most failures are warehouse timeouts that pass within minutes; a run that still fails\n' +
      'after 20 minutes needs a person, and the dashboards must not read half a day.\n',
  ],
  [
    'request',
    'weekly-digest',
    'memory/requests/weekly-digest.md',
    '# Weekly digest\n\nSend a digest of failed runs every Monday.\n',
  ],
  ['workflow', 'release', 'workflow/release.md', '# Release workflow\n\n1. Tag\n2. Build\n3. Publish\n'],
  [
    'workflow',
    'backfill',
    'workflow/backfill.md',
    '# Backfill workflow\n\nRe-run a date range without touching production.\n',
  ],
  [
    'knowledge',
    'storage-layout',
    'knowledge/storage-layout.md',
    '# Storage layout\n\nproduction/ holds published data; work/ is scratch space.\n'.repeat(20),
  ],
  ['knowledge', 'api-limits', 'knowledge/api-limits.md', '# API limits\n\n600 requests a minute per token.\n'],
];

function recordRef(kind, slug, content) {
  const bytes = Buffer.byteLength(content);
  return { kind, slug, file_bytes: bytes, file_tokens_estimate: Math.ceil(bytes / 4) };
}

/** Creates (or recreates) the sample workspace at `root`; returns root. */
export function createSampleWorkspace(root, { now = Date.now() } = {}) {
  if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  file(root, '.vscode/settings.json', JSON.stringify({ 'workspaceUsage.revealOnStartup': true }, null, 2) + '\n');
  file(root, 'README.md', '# Sample agent workspace\n\nOpened by `npm start` of Workspace Usage.\n');
  // production: 850 MB of its 1 GB quota -> warning (83%).
  sparse(root, 'production/exports/2026-11-20.parquet', 500 * MB);
  sparse(root, 'production/exports/2026-11-21.parquet', 300 * MB);
  sparse(root, 'production/models/ranker.bin', 50 * MB);
  file(root, 'production/MANIFEST.txt', 'exports/ and models/ are published nightly.\n');
  // work: 120 MB of 500 MB -> ok.
  sparse(root, 'work/scratch/joined.csv', 100 * MB);
  sparse(root, 'work/scratch/sample.csv', 20 * MB);
  file(root, 'work/notes.md', '# Scratch notes\n');
  // sessions: one near, one over its 100 MB quota.
  sparse(root, 'sessions/abc-123/work/download.tar', 45 * MB);
  sparse(root, 'sessions/def-456/work/cache.db', 85 * MB);
  sparse(root, 'sessions/ghi-789/work/dump.sql', 104 * MB);
  file(root, 'sessions/ghi-789/work/odd name with spaces & ünïcode.txt', 'odd names are counted too\n');
  file(root, 'src/pipeline.py', 'print("pipeline")\n');

  const lines = [];
  const sources = ['MemoryRead', 'KnowledgeRef', 'WorkflowInvoke'];
  const used = records.filter(([, slug]) => slug !== 'backfill' && slug !== 'api-limits');
  for (let i = 0; i < 40; i++) {
    const [kind, slug, , content] = used[(i * 7) % used.length];
    const source =
      kind === 'workflow' ? 'WorkflowInvoke' : kind === 'knowledge' ? 'KnowledgeRef' : sources[i % 2 === 0 ? 0 : 1];
    lines.push({
      id: randomUUID(),
      occurred_at: new Date(now - (40 - i) * 3_600_000).toISOString(),
      segment_id: `seg-${i % 5}`,
      event: 'use',
      source: source === 'KnowledgeRef' && kind !== 'knowledge' ? 'MemoryRead' : source,
      records: [recordRef(kind, slug, content)],
    });
  }
  for (let i = 0; i < 6; i++) {
    const resident = records.filter(([kind]) => kind === 'summary' || kind === 'decision');
    lines.push({
      id: randomUUID(),
      occurred_at: new Date(now - (6 - i) * 7_200_000).toISOString(),
      segment_id: `seg-${i}`,
      event: 'resident_exposure',
      source: 'ResidentInjection',
      records: resident.map(([kind, slug, , content]) => recordRef(kind, slug, content)),
    });
  }
  // A record that was read but has since been deleted from disk.
  lines.push({
    id: randomUUID(),
    occurred_at: new Date(now - 1_800_000).toISOString(),
    segment_id: 'seg-9',
    event: 'use',
    source: 'MemoryRead',
    records: [{ kind: 'decision', slug: 'old-cache-policy', file_bytes: 900, file_tokens_estimate: 225 }],
  });
  for (const [, , rel, content] of records) file(root, `.yoi/${rel}`, content);
  file(
    root,
    '.yoi/usage.jsonl',
    lines.map((l) => JSON.stringify(l)).join('\n') + '\n' + '{"this line": "is malformed"\n',
  );
  return root;
}
