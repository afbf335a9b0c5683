// Usage log ingest figures (`npx tsx bench/log.ts`, also run by `npm run bench`):
// a bare JSON.parse loop vs our full ingest (read, split, validate, aggregate) over the same
// generated 1,000,000-event log, memory growth while streaming it, the bytes a tail poll reads
// after one appended line, and a log of 500,000 schema-invalid lines against 500,000 valid ones
// (zod words only the kept samples, so garbage must not ingest much slower than good data).
// Medians over several runs; the logs are generated once and cached.
import { appendFileSync, createWriteStream, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LogTail } from '../src/core/log/logTail';
import { READ_CHUNK_BYTES, readLogOnce } from '../src/core/log/readLogOnce';

const EVENTS = Number(process.env.WORKSPACE_USAGE_BENCH_EVENTS ?? 1_000_000);
const RUNS = Math.max(5, Number(process.env.WORKSPACE_USAGE_BENCH_RUNS ?? 5));
const dir = path.join(tmpdir(), 'workspace-usage-bench');
const file = path.join(dir, EVENTS === 1_000_000 ? 'usage-1m.jsonl' : `usage-${EVENTS}.jsonl`);

function eventLine(i: number): string {
  const kinds = ['decision', 'request', 'workflow', 'knowledge', 'summary'];
  const sources = ['MemoryRead', 'KnowledgeRef', 'WorkflowInvoke', 'ResidentInjection'];
  const kind = kinds[i % 5];
  const slug = kind === 'summary' ? 'summary' : `${kind}-record-${(i * 7919) % 400}`;
  const bytes = 200 + ((i * 31) % 20_000);
  const sec = i % 86_400;
  const t = `2025-${String(1 + (Math.floor(i / 86_400) % 12)).padStart(2, '0')}-15T${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`;
  const resident = i % 4 === 3;
  return JSON.stringify({
    id: `0190a5b2-1c2d-7e3f-8a4b-${i.toString(16).padStart(12, '0')}`,
    occurred_at: t,
    segment_id: `segment-${Math.floor(i / 50)}`,
    event: resident ? 'resident_exposure' : 'use',
    source: resident ? 'ResidentInjection' : sources[i % 3],
    records: [{ kind, slug, file_bytes: bytes, file_tokens_estimate: Math.ceil(bytes / 4) }],
  });
}

/** A schema-invalid line (valid JSON): one of a few faults, found at various depths of the check. */
function invalidLine(i: number): string {
  const e = JSON.parse(eventLine(i)) as Record<string, unknown> & { records: Array<Record<string, unknown>> };
  switch (i % 4) {
    case 0:
      e.event = 'read';
      break;
    case 1:
      e.records[0].file_bytes = -1;
      break;
    case 2:
      e.id = 'not-a-uuid';
      break;
    default:
      delete e.occurred_at;
  }
  return JSON.stringify(e);
}

async function writeLines(target: string, count: number, make: (i: number) => string): Promise<void> {
  if (existsSync(target)) return;
  mkdirSync(dir, { recursive: true });
  const partial = `${target}.partial`;
  const out = createWriteStream(partial);
  let batch = '';
  for (let i = 0; i < count; i++) {
    batch += make(i) + '\n';
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await new Promise<void>((r) => out.once('drain', () => r()));
      batch = '';
    }
  }
  out.end(batch);
  await new Promise<void>((r) => out.once('finish', () => r()));
  renameSync(partial, target);
}

async function generate(): Promise<void> {
  await writeLines(file, EVENTS, eventLine);
}

/** The baseline: the same chunked read and split, then JSON.parse each line and nothing else. */
async function bareLoop(p: string): Promise<number> {
  const handle = await open(p, 'r');
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let rest = '';
  let parsed = 0;
  let sink = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const last = buffer.lastIndexOf(10, bytesRead - 1);
      if (last === -1) {
        rest += buffer.toString('utf8', 0, bytesRead);
        continue;
      }
      const text = rest + buffer.toString('utf8', 0, last);
      rest = buffer.toString('utf8', last + 1, bytesRead);
      let from = 0;
      for (;;) {
        const nl = text.indexOf('\n', from);
        const end = nl === -1 ? text.length : nl;
        if (end > from) {
          const value = JSON.parse(text.slice(from, end));
          sink += value.records.length;
          parsed++;
        }
        if (nl === -1) break;
        from = nl + 1;
      }
    }
    if (rest) {
      JSON.parse(rest);
      parsed++;
    }
  } finally {
    await handle.close();
  }
  return parsed + sink * 0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const genStart = Date.now();
  const existed = existsSync(file);
  await generate();
  const size = statSync(file).size;
  console.log(
    `usage log bench: ${file} (${EVENTS.toLocaleString('en-US')} events, ${mb(size)} MB${existed ? ', cached' : `, generated in ${Date.now() - genStart} ms`})`,
  );

  const bare: number[] = [];
  const ours: number[] = [];
  let events = 0;
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so neither side always runs on a warmer cache.
    for (const side of run % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare']) {
      gc?.();
      const t0 = performance.now();
      if (side === 'bare') {
        const n = await bareLoop(file);
        bare.push(performance.now() - t0);
        if (n !== EVENTS) throw new Error(`bare loop parsed ${n} lines`);
      } else {
        const report = await readLogOnce(file);
        ours.push(performance.now() - t0);
        events = report.events;
        if (report.events !== EVENTS || report.malformed.count !== 0)
          throw new Error(`ingest read ${report.events} events, ${report.malformed.count} malformed`);
      }
    }
  }
  const bareMs = median(bare);
  const oursMs = median(ours);
  const ratio = bareMs / oursMs;
  const line = (name: string, ms: number) =>
    `  ${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${(size / 1024 ** 2 / (ms / 1000)).toFixed(0).padStart(5)} MB/s  ${Math.round(
      EVENTS / (ms / 1000),
    )
      .toLocaleString('en-US')
      .padStart(10)} events/s`;
  console.log(`medians of ${RUNS} runs:`);
  console.log(line('bare JSON.parse loop (read+split)', bareMs));
  console.log(line('ingest (read+split+validate+agg.)', oursMs));
  console.log(
    `  throughput ratio ${ratio.toFixed(2)}x of the bare loop (goal >= 0.6x): ${ratio >= 0.6 ? 'PASS' : 'MISS'}`,
  );

  // Memory while streaming: sampled every 5 ms (the read yields between 1 MiB chunks).
  gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed + base.external + base.arrayBuffers;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed + m.external + m.arrayBuffers);
  }, 5);
  await readLogOnce(file);
  clearInterval(sampler);
  const rssGrowth = peakRss - base.rss;
  const heapGrowth = peakHeap - (base.heapUsed + base.external + base.arrayBuffers);
  console.log(
    `memory during one ingest of ${mb(size)} MB: peak RSS growth ${mb(rssGrowth)} MB, peak heap+buffers growth ${mb(heapGrowth)} MB (goal < 64 MB): ${Math.max(rssGrowth, heapGrowth) < 64 * 1024 ** 2 ? 'PASS' : 'MISS'}`,
  );

  // Tail: the work of an update is the appended bytes only.
  const tailFile = path.join(dir, 'tail-bench.jsonl');
  writeFileSync(tailFile, '');
  const tail = new LogTail(file);
  const t0 = performance.now();
  const first = await tail.poll();
  const firstMs = performance.now() - t0;
  // Follow a copy-free setup: tail the big log, then append to a small log for the write test
  // so the cached 1M-event log stays unchanged.
  const small = new LogTail(tailFile);
  await small.poll();
  let proportional = true;
  const perUpdate: string[] = [];
  for (const n of [1, 10, 100]) {
    const appended = Array.from({ length: n }, (_, i) => eventLine(EVENTS + i)).join('\n') + '\n';
    appendFileSync(tailFile, appended);
    const t = performance.now();
    const u = await small.poll();
    const ms = performance.now() - t;
    const bytes = Buffer.byteLength(appended);
    perUpdate.push(
      `${n} line${n === 1 ? '' : 's'}: appended ${bytes} bytes, poll read ${u.bytesRead} bytes, ${u.newEvents} events, ${ms.toFixed(2)} ms`,
    );
    if (u.bytesRead !== bytes || u.newEvents !== n) proportional = false;
  }
  const idle = await tail.poll();
  if (idle.bytesRead !== 0) proportional = false;
  console.log(
    `tail: first poll of the 1M log read ${mb(first.bytesRead)} MB (${first.newEvents.toLocaleString('en-US')} events) in ${firstMs.toFixed(0)} ms; a poll with nothing new read ${idle.bytesRead} bytes`,
  );
  for (const p of perUpdate) console.log(`  ${p}`);
  console.log(`  bytes read per update equal the bytes appended: ${proportional ? 'PASS' : 'MISS'}`);
  tail.dispose();
  small.dispose();

  // Garbage in: schema-invalid lines cost a JSON.parse and the fast check, not a zod explanation
  // each (only the first MAX_MALFORMED_SAMPLES are explained).
  const half = Math.min(500_000, EVENTS);
  const validFile = path.join(dir, `valid-${half}.jsonl`);
  const invalidFile = path.join(dir, `invalid-${half}.jsonl`);
  await writeLines(validFile, half, eventLine);
  await writeLines(invalidFile, half, invalidLine);
  const valid: number[] = [];
  const invalid: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const side of run % 2 === 0 ? ['valid', 'invalid'] : ['invalid', 'valid']) {
      gc?.();
      const t = performance.now();
      const report = await readLogOnce(side === 'valid' ? validFile : invalidFile);
      (side === 'valid' ? valid : invalid).push(performance.now() - t);
      const expected = side === 'valid' ? [half, 0] : [0, half];
      if (report.events !== expected[0] || report.malformed.count !== expected[1])
        throw new Error(`${side} log: ${report.events} events, ${report.malformed.count} malformed`);
    }
  }
  const validMs = median(valid);
  const invalidMs = median(invalid);
  const garbage = invalidMs / validMs;
  console.log(
    `${half.toLocaleString('en-US')} schema-invalid lines vs ${half.toLocaleString('en-US')} valid ones (medians of ${RUNS} runs):`,
  );
  console.log(
    `  valid ${validMs.toFixed(0)} ms, invalid ${invalidMs.toFixed(0)} ms, ratio ${garbage.toFixed(2)}x (goal <= 1.3x): ${garbage <= 1.3 ? 'PASS' : 'MISS'}`,
  );
  if (events !== EVENTS) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
