// The HTTP side of `workspace-usage serve`: read-only JSON endpoints and /metrics, answered from
// memory. Every request needs the bearer token when one is configured (constant-time compare);
// names from the URL are checked before they are used (`..`, encoded slashes, NUL: 400).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { arawnUsage, workstreamList } from '../../core/workstreams/arawnUsage';
import type { Figures } from '../../core/workstreams/figures';
import { decodeUrlSegment, isValidWorkstreamName } from '../../core/workstreams/layout';
import type { HistoryExport } from '../../core/history/historyExport';
import { quotaStats, storageHistory, storageSizes, usageHistory } from '../../core/workstreams/storageApi';

interface ServerState {
  figures(): Figures | undefined;
  history(): HistoryExport | undefined;
  /** When the sizes were last measured or changed (ms since the epoch). */
  measuredAt(): number;
  phase(): string;
}

export interface ServerOptions {
  state: ServerState;
  metrics: Registry;
  token?: string;
  /** One line per request error. */
  log(line: string): void;
  now?(): number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Constant-time: both sides are hashed to the same length before comparing. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  const given = m ? m[1] : '';
  return timingSafeEqual(digest(given), digest(token)) && m !== null;
}

function intParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1)
    throw new HttpError(400, `${name} must be a whole number from 1 to ${max}`);
  return Math.min(Number(raw), max);
}

function send(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : text);
}

export function createServeServer(options: ServerOptions): Server {
  const { state, metrics, token, log } = options;
  const now = options.now ?? Date.now;

  // Bodies answered from memory: built once per figures object (a new one after each change),
  // so a steady state serves a ready buffer. /metrics text is reused for up to a second.
  let cacheFor: Figures | undefined;
  const bodies = new Map<string, Buffer>();
  let metricsText: { at: number; figures: Figures; text: string } | undefined;
  const cached = (f: Figures, key: string, build: () => unknown): Buffer => {
    if (cacheFor !== f) {
      cacheFor = f;
      bodies.clear();
    }
    let body = bodies.get(key);
    if (!body) {
      body = Buffer.from(`${JSON.stringify(build())}\n`);
      if (bodies.size < 1000) bodies.set(key, body);
    }
    return body;
  };
  const sendBody = (res: ServerResponse, body: Buffer, head: boolean) => {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(head ? undefined : body);
  };

  const ready = (): Figures => {
    const f = state.figures();
    if (!f) throw new HttpError(503, `Not ready: ${state.phase()}`);
    return f;
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      throw new HttpError(405, 'Method not allowed');
    }
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const pathPart = q < 0 ? raw : raw.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    if (!pathPart.startsWith('/')) throw new HttpError(400, 'Bad request path');
    const segments = pathPart.split('/').slice(1);
    // A `..` or `.` segment (also encoded) or a NUL is refused wherever it is.
    for (const s of segments)
      if (/%2e%2e|%00|\0/i.test(s) || s === '..' || s === '.') throw new HttpError(400, 'Bad request path');
    const route = segments.join('/');

    if (route === 'healthz') return send(res, 200, { status: 'ok', phase: state.phase() }, head);
    if (route === 'metrics') {
      const f = ready();
      if (!metricsText || metricsText.figures !== f || now() - metricsText.at > 1000)
        metricsText = { at: now(), figures: f, text: await metrics.metrics() };
      const text = metricsText.text;
      res.writeHead(200, {
        'Content-Type': metrics.contentType,
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
      });
      res.end(head ? undefined : text);
      return;
    }
    if (route === 'api/v1/workstreams') {
      const f = ready();
      return sendBody(
        res,
        cached(f, '', () => workstreamList(f)),
        head,
      );
    }
    if (
      segments.length === 5 &&
      segments[0] === 'api' &&
      segments[1] === 'v1' &&
      segments[2] === 'workstreams' &&
      segments[4] === 'usage'
    ) {
      const name = decodeUrlSegment(segments[3]);
      if (name === 'invalid' || !isValidWorkstreamName(name))
        throw new HttpError(400, `Invalid workstream name: ${name === 'invalid' ? segments[3] : name}`);
      const f = ready();
      if (!f.workstreams.includes(name)) throw new HttpError(404, `Workstream not found: ${name}`);
      return sendBody(
        res,
        cached(f, `ws:${name}`, () => arawnUsage(f, name)),
        head,
      );
    }
    if (route === 'api/storage/sizes') return send(res, 200, storageSizes(ready(), state.measuredAt()), head);
    if (route === 'api/storage/history') {
      const limit = intParam(params, 'limit', 30, 10_000);
      ready();
      return send(res, 200, storageHistory(state.history(), limit), head);
    }
    if (route === 'api/storage/stats') return send(res, 200, quotaStats(ready()), head);
    if (route === 'api/storage/usage-history') {
      const days = intParam(params, 'days', 30, 100_000);
      ready();
      return send(res, 200, usageHistory(state.history(), days, now()), head);
    }
    throw new HttpError(404, 'Not found');
  }

  return createServer((req, res) => {
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      log(`${req.method} ${req.url}: 401 unauthorized`);
      send(res, 401, { error: 'Unauthorized' });
      return;
    }
    route(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message =
        error instanceof HttpError
          ? error.message
          : `Internal error: ${error instanceof Error ? error.message : String(error)}`;
      log(`${req.method} ${JSON.stringify(req.url)}: ${status} ${message}`);
      if (res.headersSent) res.destroy();
      else send(res, status, { error: message }, req.method === 'HEAD');
    });
  });
}
