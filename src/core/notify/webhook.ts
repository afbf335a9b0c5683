// Quota alerts POSTed to a webhook, beside the notification: one small JSON body per item of a
// notice, retried with backoff on a network error or a 5xx/429 answer, each attempt bounded by a
// timeout. Never throws: the result says what happened, and the caller logs it (the editor fires
// it without awaiting, so the UI never waits on a slow or dead endpoint).
import type { Notice, QuotaItem } from './attention';
import { crossedStep, quotaSentence } from './attention';

/** The JSON body of one alert. */
export interface AlertPayload {
  folder: string;
  /** The area's label ("work", "session abc"), or the folder's name for the folder quota. */
  area: string;
  level: Notice['level'];
  /** The highest warning step crossed, as a fraction (0.9), when the area has several; else null. */
  step: number | null;
  bytes: number;
  quota: number;
  /** Rounded to one decimal. */
  percent: number;
  message: string;
  /** ISO 8601 time the alert was made. */
  at: string;
}

export interface WebhookOptions {
  /** Attempts in all (first try included); default 3. */
  attempts?: number;
  /** Timeout of each attempt in ms; default 5000. */
  timeoutMs?: number;
  /** Wait before the second attempt in ms, doubled for each later one; default 500. */
  backoffMs?: number;
  /** Injectable for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Injectable for tests; default a setTimeout promise. */
  sleep?: (ms: number) => Promise<void>;
}

export type WebhookResult =
  { ok: true; attempts: number; status: number } | { ok: false; attempts: number; error: string };

export function alertPayloads(notice: Notice, now = Date.now()): AlertPayload[] {
  const at = new Date(now).toISOString();
  return notice.items.map((item: QuotaItem) => ({
    folder: item.folder,
    area: item.label,
    level: item.level === 'exceeded' ? 'exceeded' : 'warning',
    step: crossedStep(item) ?? null,
    bytes: item.bytes,
    quota: item.quota,
    percent: Math.round(item.percent * 10) / 10,
    message: `${quotaSentence(item)}.`,
    at,
  }));
}

/** Whether an HTTP status is worth another attempt: server errors and "too many requests". */
function retryable(status: number): boolean {
  return status >= 500 || status === 429;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

/** POSTs one payload; resolves (never rejects) once it succeeded or the attempts ran out. */
export async function postAlert(
  url: string,
  payload: AlertPayload,
  options: WebhookOptions = {},
): Promise<WebhookResult> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 5000;
  const backoffMs = options.backoffMs ?? 500;
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const body = JSON.stringify(payload);
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
    try {
      const response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'workspace-usage' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The body is not needed; reading it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt, status: response.status };
      error = `HTTP ${response.status}`;
      if (!retryable(response.status)) return { ok: false, attempts: attempt, error };
    } catch (e) {
      error = describe(e);
    }
  }
  return { ok: false, attempts, error };
}

/** POSTs every item of a notice, one after another; one result per item. */
export async function sendNotice(
  url: string,
  notice: Notice,
  options: WebhookOptions = {},
  now = Date.now(),
): Promise<WebhookResult[]> {
  const results: WebhookResult[] = [];
  for (const payload of alertPayloads(notice, now)) results.push(await postAlert(url, payload, options));
  return results;
}
