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

function sparse(root, rel, bytes) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

const records = [
  [
    'summary',
    'summary',
    'memory/summary.md',
    '# Summary\n\nThe agent maintains the nightly data pipeline and its reports.\n',
  ],
  [
    'decision',
    'use-parquet',
    'memory/decisions/use-parquet.md',
    '# Use Parquet for exports\n\nColumnar, compressed, read by every tool we use.\n',
  ],
  [
    'decision',
    'retry-policy',
    'memory/decisions/retry-policy.md',
    '# Retry policy\n\nThree retries with exponential backoff, then page a human.\n',
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
