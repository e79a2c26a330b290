// The API client's requests over node:http and node:https with kept-alive connections.
// Node's fetch (undici) costs ~40-80 ms to load and start on the first request and several
// times node:http's CPU per request: with 100 requests in one round, that CPU was a round
// trip of its own on a busy machine. The client bounds concurrency itself (Limiter).
import http from 'node:http';
import https from 'node:https';

export interface TransportInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Redirects are never followed (a Heroku API answer is never a redirect). */
  redirect: 'manual';
}

/** What the client reads of an answer; a fetch Response is one too. */
export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** fetch's shape, narrowed to what the client sends: tests may pass fetch itself, or wrap this. */
export type Transport = (url: string, init: TransportInit) => Promise<TransportResponse>;

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

class NodeHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

function requestOnce(url: URL, init: TransportInit): Promise<{ response: TransportResponse; reused: boolean } | { error: unknown; reused: boolean }> {
  const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : null;
  if (protocol === null) return Promise.resolve({ error: new Error(`unsupported protocol ${url.protocol}`), reused: false });
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
  return new Promise((resolve) => {
    const request = (protocol === 'https:' ? https : http).request(url, { method: init.method, headers, agent: agents[protocol], signal: init.signal });
    request.once('error', (error) => resolve({ error, reused: request.reusedSocket }));
    request.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', (error) => resolve({ error, reused: false }));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ response: { status: res.statusCode ?? 0, headers: new NodeHeaders(res.headers), text: () => Promise.resolve(text) }, reused: false });
      });
      // Destroyed before its end (an abort, a reset): an error, never a truncated answer.
      res.once('close', () => {
        if (!res.complete) resolve({ error: Object.assign(new Error('the connection closed before the whole answer'), { code: 'ECONNRESET' }), reused: false });
      });
    });
    request.end(init.body);
  });
}

/** One request; a GET whose kept-alive connection the server closed just as it was reused is retried once, on a new one. */
export const httpTransport: Transport = async (url, init) => {
  const target = new URL(url);
  let outcome = await requestOnce(target, init);
  const idempotent = init.method === 'GET' || init.method === 'HEAD';
  if ('error' in outcome && outcome.reused && idempotent && !init.signal.aborted && (outcome.error as NodeJS.ErrnoException).code === 'ECONNRESET') {
    outcome = await requestOnce(target, init);
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.response;
};
