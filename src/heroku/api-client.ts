import { setMaxListeners } from 'node:events';
// A small Platform API client over fetch: bounded concurrency that slows to one
// request at a time when the rate limit runs low, Range paging, timeouts, and
// every failure turned into a SourceError phrased for the user.
import { setTimeout as sleep } from 'node:timers/promises';
import { sanitize } from '../text/sanitize.js';
import { readVersion } from '../version.js';
import type { Credentials } from './auth.js';
import { SourceError } from './errors.js';
import type { SourceErrorKind } from './errors.js';
import { httpTransport, type Transport, type TransportResponse } from './http-transport.js';

export const API_ACCEPT = 'application/vnd.heroku+json; version=3.sdk';
// The API limits requests per hour, not connections. After the apps list, each app costs
// two requests (dynos, exec feature): up to 64 apps then list in one more round trip, all
// at once. RateLimit-Remaining running low still drops this to one at a time.
const DEFAULT_CONCURRENCY = 128;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_RETRY_AFTER_CAP_MS = 10_000;
// Ids page on every list endpoint; the API caps max at 1000 (default 200).
const FIRST_RANGE = 'id ..; max=1000';
const MAX_PAGES = 1000;
const MAX_MESSAGE = 300;

export interface ApiClientOptions {
  credentials: Credentials;
  /** e.g. https://api.heroku.com (see apiBaseUrl). */
  baseUrl: string;
  /** How requests go out (default: node:http/https, see http-transport.ts); fetch fits too. */
  fetchImpl?: Transport;
  /** Requests in flight at once (128). */
  concurrency?: number;
  /** Per request, body included (15 s). */
  timeoutMs?: number;
  /** The longest a 429's Retry-After is honoured before the one retry (10 s). */
  retryAfterCapMs?: number;
  userAgent?: string;
}

type ReplyHeaders = TransportResponse['headers'];

interface Reply {
  status: number;
  headers: ReplyHeaders;
  text: string;
}

interface Exchange {
  status: number;
  headers: ReplyHeaders;
  body: unknown;
}

/** Runs at most `limit` tasks at once; `limit` drops to 1 while the API says few requests remain. */
class Limiter {
  private active = 0;
  private remaining: number | null = null;
  private pausedUntil = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  private get limit(): number {
    return this.remaining !== null && this.remaining < this.concurrency ? 1 : this.concurrency;
  }

  noteRemaining(remaining: number): void {
    this.remaining = remaining;
  }

  /** Holds back every request (queued or new) for `ms`: what a 429 asks for. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  async run<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.active--;
      this.wake();
    }
  }

  private async acquire(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) {
        await sleep(pause, undefined, { signal });
        continue;
      }
      if (this.active < this.limit) {
        this.active++;
        return;
      }
      await this.slot(signal);
    }
  }

  private slot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiting.indexOf(ready);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      const ready = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(ready);
      // Every queued request listens on the one shared signal: a long queue is expected, and
      // Node's MaxListenersExceededWarning would otherwise print into the user's terminal.
      if (signal) setMaxListeners(0, signal);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private wake(): void {
    // Woken tasks re-check the limit, so waking exactly the free slots is enough.
    for (let free = this.limit - this.active; free > 0 && this.waiting.length > 0; free--) this.waiting.shift()?.();
  }
}

function errorCode(err: unknown): string | null {
  const cause = (err as { cause?: unknown } | null)?.cause ?? err;
  if (typeof cause !== 'object' || cause === null) return null;
  const { code, errors } = cause as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) return errorCode({ cause: errors[0] });
  return null;
}

function isJson(contentType: string | null): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function retryAfterMs(header: string | null, capMs: number): number {
  const seconds = Number(header);
  if (header !== null && Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, capMs);
  const date = header === null ? NaN : Date.parse(header);
  return Number.isFinite(date) ? Math.min(Math.max(0, date - Date.now()), capMs) : Math.min(1000, capMs);
}

export class ApiClient {
  private readonly fetchImpl: Transport;
  private readonly limiter: Limiter;
  private readonly timeoutMs: number;
  private readonly retryAfterCapMs: number;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  /**
   * The last JSON body of each GET (path and page), with its text: a refresh that gets the
   * same text back gets the same object, so what was made from it can be kept (ApiSource)
   * rather than parsed and compared again: with 10,000 dynos, most of a refresh's CPU.
   */
  private readonly lastBodies = new Map<string, { text: string; body: unknown }>();

  constructor(private readonly options: ApiClientOptions) {
    const impl = options.fetchImpl ?? httpTransport;
    this.fetchImpl = (input, init) => impl(input, init);
    this.limiter = new Limiter(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryAfterCapMs = options.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.headers = {
      Accept: API_ACCEPT,
      Authorization: `Bearer ${options.credentials.token}`,
      'User-Agent': options.userAgent ?? `dynotty/${readVersion()}`,
    };
  }

  /** GET one resource: its parsed JSON body. */
  async get(path: string, signal?: AbortSignal): Promise<unknown> {
    return (await this.exchange('GET', path, { signal })).body;
  }

  /** GET a list, following Next-Range to the last page. */
  async getAll(path: string, signal?: AbortSignal): Promise<unknown[]> {
    const attempted = `GET ${path}`;
    const items: unknown[] = [];
    const seen = new Set<string>();
    let range: string | null = FIRST_RANGE;
    for (let page = 0; range !== null; page++) {
      if (page >= MAX_PAGES) throw this.fail(attempted, `the API sent more than ${MAX_PAGES} pages`, null, 'bad-output');
      const { body, headers } = await this.exchange('GET', path, { signal, range });
      if (!Array.isArray(body)) throw this.fail(attempted, `expected a JSON array, got ${describe(body)}`, null, 'bad-output');
      items.push(...(body as unknown[]));
      range = headers.get('next-range');
      if (range !== null && seen.has(range)) throw this.fail(attempted, 'the API sent the same page range twice', null, 'bad-output');
      if (range !== null) seen.add(range);
    }
    return items;
  }

  /** POST, PATCH or DELETE with an optional JSON body: the parsed reply. */
  async send(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    return (await this.exchange(method, path, { signal, body })).body;
  }

  private async exchange(method: string, path: string, opts: { signal?: AbortSignal; range?: string; body?: unknown }): Promise<Exchange> {
    const attempted = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      let reply: Reply;
      try {
        reply = await this.limiter.run(() => this.once(method, path, attempted, opts), opts.signal);
      } catch (err) {
        // Anything else comes from waiting for a slot or a 429 pause being aborted.
        if (err instanceof SourceError || !opts.signal?.aborted) throw err;
        throw this.cancelled(attempted);
      }
      const remaining = Number(reply.headers.get('ratelimit-remaining') ?? NaN);
      if (Number.isFinite(remaining)) this.limiter.noteRemaining(remaining);
      if (reply.status === 429 && attempt === 0) {
        this.limiter.pauseFor(retryAfterMs(reply.headers.get('retry-after'), this.retryAfterCapMs));
        continue;
      }
      return this.interpret(attempted, reply, method === 'GET' ? `${path}\n${opts.range ?? ''}` : null);
    }
  }

  private async once(method: string, path: string, attempted: string, opts: { signal?: AbortSignal; range?: string; body?: unknown }): Promise<Reply> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const headers: Record<string, string> = { ...this.headers };
    if (opts.range) headers.Range = opts.range;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const res = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal,
        redirect: 'manual',
      });
      return { status: res.status, headers: res.headers, text: await res.text() };
    } catch (err) {
      if (opts.signal?.aborted) throw this.cancelled(attempted);
      if (timeout.aborted) {
        throw this.fail(attempted, `no answer from the Heroku API within ${formatSeconds(this.timeoutMs)}`, 'check your network, then retry with R', 'timeout');
      }
      const code = errorCode(err);
      const host = this.baseUrl.replace(/^[a-z]+:\/\//i, '');
      const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `could not resolve ${host}` : `could not reach ${host}`;
      throw this.fail(attempted, `${what}${code ? ` (${code})` : ''}`, 'check your network connection (and HEROKU_HOST if set), then retry with R', 'unreachable');
    }
  }

  private interpret(attempted: string, reply: Reply, reuseKey: string | null = null): Exchange {
    const type = reply.headers.get('content-type');
    const json = isJson(type);
    let body: unknown = null;
    let parsed = false;
    const ok = reply.status >= 200 && reply.status < 300;
    const last = reuseKey === null ? undefined : this.lastBodies.get(reuseKey);
    if (ok && json && last !== undefined && last.text === reply.text) {
      body = last.body;
      parsed = true;
    } else if (json && reply.text !== '') {
      try {
        body = JSON.parse(reply.text) as unknown;
        parsed = true;
      } catch {
        // Judged below: fatal for a success, ignored for an error status.
      }
    }
    if (ok) {
      if (reply.text === '' && (reply.status === 202 || reply.status === 204)) return { status: reply.status, headers: reply.headers, body: null };
      if (!json) throw this.fail(attempted, `expected JSON, got ${type ? sanitize(type.split(';')[0] ?? type) : 'no content type'} (HTTP ${reply.status})`, null, 'bad-output');
      if (!parsed) throw this.fail(attempted, `expected JSON, got text that does not parse as JSON (HTTP ${reply.status})`, null, 'bad-output');
      if (reuseKey !== null) this.lastBodies.set(reuseKey, { text: reply.text, body });
      return { status: reply.status, headers: reply.headers, body };
    }
    const api = typeof body === 'object' && body !== null ? (body as { id?: unknown; message?: unknown }) : {};
    const id = typeof api.id === 'string' ? api.id : null;
    const message = typeof api.message === 'string' && api.message.trim() !== '' ? this.clean(api.message) : null;
    throw this.httpError(attempted, reply.status, id, message);
  }

  private httpError(attempted: string, status: number, id: string | null, message: string | null): SourceError {
    if (status === 401) {
      if (this.options.credentials.origin === 'HEROKU_API_KEY') {
        return this.fail(attempted, 'The token provided to HEROKU_API_KEY is invalid.', 'unset it, or set a valid one: heroku authorizations:create', 'invalid-token');
      }
      return this.fail(attempted, message ?? 'Invalid credentials provided.', 'run heroku login', 'invalid-token');
    }
    if (status === 403 && id === 'two_factor') {
      return this.fail(
        attempted,
        message ?? 'This action requires two-factor authentication.',
        'give your second factor once with the heroku CLI (e.g. heroku ps -a APP), then retry with R',
        'forbidden',
      );
    }
    if (status === 403) return this.fail(attempted, message ?? 'Access denied.', "ask the app's owner or team admin for access", 'forbidden');
    if (status === 404) return this.fail(attempted, message ?? 'Not found.', null, 'not-found');
    if (status === 429) {
      return this.fail(attempted, message ?? 'Your account reached the API rate limit.', 'wait a minute for the limit to refill, then retry with R', 'rate-limited');
    }
    if (status >= 500) {
      return this.fail(attempted, `Heroku answered HTTP ${status}${message ? `: ${message}` : ''}`, 'Heroku may be having trouble: see status.heroku.com, retry with R', 'server');
    }
    return this.fail(attempted, `HTTP ${status}${message ? `: ${message}` : ''}`, null, 'other');
  }

  private cancelled(attempted: string): SourceError {
    return this.fail(attempted, 'cancelled', null, 'cancelled');
  }

  private fail(attempted: string, problem: string, hint: string | null, kind: SourceErrorKind): SourceError {
    return new SourceError(this.clean(attempted), this.clean(problem), hint, kind);
  }

  /** Untrusted text made safe to show: no control characters, bounded, and never the token. */
  private clean(text: string): string {
    const { token } = this.options.credentials;
    const redacted = token.length >= 4 ? text.split(token).join('[REDACTED]') : text;
    const safe = sanitize(redacted).trim();
    return safe.length > MAX_MESSAGE ? `${safe.slice(0, MAX_MESSAGE - 1)}…` : safe;
  }
}

function describe(body: unknown): string {
  if (body === null) return 'null';
  return Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'an object' : `a ${typeof body}`;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
