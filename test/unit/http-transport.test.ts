import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { httpTransport } from '../../src/heroku/http-transport.js';

const servers: Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  server.keepAliveTimeout = 5000;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const init = (method = 'GET', body?: string) => ({ method, headers: { Accept: 'application/json' }, body, signal: AbortSignal.timeout(5000), redirect: 'manual' as const });

describe('httpTransport', () => {
  it('sends the body with its length and gives back status, headers and text', async () => {
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Len': req.headers['content-length'] ?? 'none' });
        res.end(JSON.stringify({ got: body }));
      });
    });
    const res = await httpTransport(`${url}/x`, init('POST', '{"é":1}'));
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-len'), String(Buffer.byteLength('{"é":1}')));
    assert.equal(res.headers.get('Content-Type'), 'application/json');
    assert.equal(res.headers.get('missing'), null);
    assert.deepEqual(JSON.parse(await res.text()), { got: '{"é":1}' });
  });

  it('an answer cut short is an error, never a truncated body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('[{"id":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await assert.rejects(httpTransport(`${url}/cut`, init()), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET');
  });

  it('retries a GET once when the server dropped the kept-alive connection it reused', async () => {
    const served = new WeakMap<object, number>();
    let requests = 0;
    const url = await serve((req, res) => {
      requests++;
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      // The second request on a connection finds it closed, as after a server's idle timeout.
      if (n === 2) return void req.socket.destroy();
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`answer ${requests}`);
    });
    assert.equal(await (await httpTransport(`${url}/a`, init())).text(), 'answer 1');
    assert.equal(await (await httpTransport(`${url}/b`, init())).text(), 'answer 3');
    assert.equal(requests, 3);
  });
});
