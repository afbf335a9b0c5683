import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { quotaKey, summaryNotice, type QuotaItem } from '../../../src/core/notify/attention';
import { alertPayloads, postAlert, sendNotice } from '../../../src/core/notify/webhook';

const MB = 1024 * 1024;

function workAt92(): QuotaItem {
  return {
    key: quotaKey('/ws', 'work'),
    label: 'work',
    folder: '/ws',
    bytes: 460 * MB,
    quota: 500 * MB,
    percent: 92,
    level: 'warning',
    steps: [0.8, 0.9, 0.95],
    step: 1,
  };
}

/** A local server answering each request with the next handler (the last one repeats). */
async function serve(
  handlers: Array<(req: IncomingMessage, res: ServerResponse, body: string) => void>,
): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      handlers[Math.min(bodies.length - 1, handlers.length - 1)](req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server };
}

const noSleep = async (): Promise<void> => undefined;

describe('alert webhook', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('makes one small JSON body per item with the step crossed', () => {
    const notice = summaryNotice([workAt92()])!;
    const [payload] = alertPayloads(notice, Date.UTC(2026, 0, 2, 3, 4, 5));
    assert.deepEqual(payload, {
      folder: '/ws',
      area: 'work',
      level: 'warning',
      step: 0.9,
      bytes: 460 * MB,
      quota: 500 * MB,
      percent: 92,
      message: 'work is at 92% of its 500 MB quota (past the 90% step).',
      at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('POSTs JSON to a real server, retrying after a 500 until a 200', async () => {
    const { url, bodies, server } = await serve([
      (_req, res) => {
        res.statusCode = 500;
        res.end('busy');
      },
      (req, res) => {
        res.statusCode = req.method === 'POST' && req.headers['content-type'] === 'application/json' ? 200 : 400;
        res.end();
      },
    ]);
    servers.push(server);
    const waits: number[] = [];
    const results = await sendNotice(url, summaryNotice([workAt92()])!, {
      backoffMs: 10,
      sleep: async (ms) => void waits.push(ms),
    });
    assert.deepEqual(results, [{ ok: true, attempts: 2, status: 200 }]);
    assert.equal(bodies.length, 2);
    assert.equal(bodies[0], bodies[1], 'the retry sends the same body');
    assert.equal(JSON.parse(bodies[1]).message, 'work is at 92% of its 500 MB quota (past the 90% step).');
    assert.deepEqual(waits, [10], 'one wait, before the second attempt');
  });

  it('backs off doubling, and gives up after the attempts without throwing', async () => {
    const { url, bodies, server } = await serve([
      (_req, res) => {
        res.statusCode = 503;
        res.end();
      },
    ]);
    servers.push(server);
    const waits: number[] = [];
    const result = await postAlert(url, alertPayloads(summaryNotice([workAt92()])!)[0], {
      attempts: 4,
      backoffMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    assert.deepEqual(result, { ok: false, attempts: 4, error: 'HTTP 503' });
    assert.equal(bodies.length, 4);
    assert.deepEqual(waits, [100, 200, 400]);
  });

  it('does not retry a client error', async () => {
    const { url, bodies, server } = await serve([
      (_req, res) => {
        res.statusCode = 404;
        res.end();
      },
    ]);
    servers.push(server);
    const result = await postAlert(url, alertPayloads(summaryNotice([workAt92()])!)[0], { sleep: noSleep });
    assert.deepEqual(result, { ok: false, attempts: 1, error: 'HTTP 404' });
    assert.equal(bodies.length, 1);
  });

  it('times out an endpoint that never answers, and gives up without throwing', async () => {
    // The server reads the request and never responds.
    const { url, bodies, server } = await serve([() => undefined]);
    servers.push(server);
    const result = await postAlert(url, alertPayloads(summaryNotice([workAt92()])!)[0], {
      attempts: 2,
      timeoutMs: 200,
      sleep: noSleep,
    });
    assert.deepEqual(result, { ok: false, attempts: 2, error: 'timed out' });
    assert.equal(bodies.length, 2, 'each attempt reached the server');
  });

  it('reports an unreachable endpoint as a value', async () => {
    const { url, server } = await serve([(_req, res) => res.end()]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await postAlert(url, alertPayloads(summaryNotice([workAt92()])!)[0], {
      attempts: 2,
      sleep: noSleep,
    });
    assert.equal(result.ok, false);
    assert.equal(result.attempts, 2);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const fake = (async (url: string | URL | Request) => {
      calls.push(String(url));
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    const result = await postAlert('http://example.invalid/x', alertPayloads(summaryNotice([workAt92()])!)[0], {
      fetch: fake,
    });
    assert.deepEqual(result, { ok: true, attempts: 1, status: 204 });
    assert.deepEqual(calls, ['http://example.invalid/x']);
  });
});
