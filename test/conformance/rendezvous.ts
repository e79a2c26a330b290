// A local stand-in for Heroku's rendezvous service, so the real `heroku run` can attach to
// a "dyno" end to end: TLS on 127.0.0.1 with a certificate made at test time (trusted by
// the CLI through NODE_EXTRA_CA_CERTS), the secret line the CLI sends looked up in the
// fake API's runs, and a local shell in a pseudo-terminal bridged to the socket.
//
// The protocol, as heroku@11.10.0 implements it (node_modules/heroku/dist/lib/run/dyno.js):
//  - attach_url `rendezvous://HOST:PORT/SECRET`; Dyno#_rendezvous() does
//    tls.connect(port, hostname, { rejectUnauthorized: heroku.options.rejectUnauthorized }),
//    which is Node's default (verify), so the certificate must be trusted for 127.0.0.1;
//  - on connect it writes `SECRET\r\n` (the URL's pathname + search without the leading /);
//  - the first `data` chunk it receives is dropped whole (Dyno#_readData: "discard first
//    line"); that chunk flips the status to "up, run.N" and starts piping stdin (raw mode
//    when stdin is a TTY). Heroku's older Ruby clients `readline` one line after the secret.
//    So the server answers one line of its own before the dyno's output starts;
//  - everything after is the dyno's terminal, both ways; there is no framing, no resize and
//    no exit-status message. The connection closing ends `heroku run` with status 0;
//  - `-x` wraps the command as `CMD ; echo "\uFFFF heroku-command-exit-status: $?"` and the
//    CLI takes its exit status from that line in the output (closing without it fails with
//    "No exit code returned"). Running the command through `bash -c` gives that for free.
import { execa } from 'execa';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tls from 'node:tls';
import * as pty from 'node-pty';
import type { FakeApi, FakeRun } from '../fakes/fake-api.js';
import { holdSlave } from '../../src/session/pty-session.js';

/** The line the server sends after the secret; the CLI drops it unread. */
export const RENDEZVOUS_GREETING = 'rendezvous\r\n';
const SECRET_LINE_MAX = 4096;
const SECRET_TIMEOUT_MS = 10_000;

export interface RendezvousSession {
  /** The secret line as received. */
  secret: string;
  /** The fake API's record of the dyno, or null for an unknown secret (the socket is closed). */
  run: FakeRun | null;
  /** The command the "dyno" ran (`bash -c COMMAND`). */
  command: string | null;
  /** The environment the dyno's shell got, for assertions. */
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** Set once the shell has exited. */
  exitCode: number | null;
  /** Everything the dyno wrote to the socket, greeting excluded. */
  output: string;
  /** Resolves when the shell has exited and the socket is closed. */
  done: Promise<void>;
}

export interface Rendezvous {
  readonly host: string;
  readonly port: number;
  /** The CA certificate (PEM) to put in NODE_EXTRA_CA_CERTS. */
  readonly caPath: string;
  /** The server certificate (PEM), for SAN checks. */
  readonly certPath: string;
  readonly sessions: RendezvousSession[];
  close(): Promise<void>;
}

export interface RendezvousOptions {
  api: FakeApi;
  /** The shell that runs the command; defaults to bash (as on a dyno). */
  shell?: string;
}

async function requireOpenssl(): Promise<void> {
  const probe = await execa('openssl', ['version'], { reject: false, stdin: 'ignore', encoding: 'utf8' });
  if (probe.failed) {
    throw new Error('openssl is needed to make the test rendezvous certificate, and `openssl version` failed: ' + (probe.stderr || probe.message));
  }
}

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/** A throwaway CA and a server certificate it signed, for 127.0.0.1 and localhost. */
async function makeCertificates(dir: string): Promise<{ caPath: string; certPath: string; keyPath: string }> {
  await requireOpenssl();
  const cnf = path.join(dir, 'openssl.cnf');
  writeFileSync(cnf, OPENSSL_CONFIG);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = async (args: string[]): Promise<void> => {
    const r = await execa('openssl', args, { cwd: dir, reject: false, stdin: 'ignore', encoding: 'utf8' });
    if (r.failed) throw new Error(`openssl ${args.join(' ')} failed:\n${r.stderr}`);
  };
  const caPath = path.join(dir, 'ca.pem');
  const caKey = path.join(dir, 'ca.key');
  const certPath = path.join(dir, 'server.pem');
  const keyPath = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  await run(['req', '-x509', '-config', cnf, '-extensions', 'ca_ext', ...ec, '-keyout', caKey, '-out', caPath, '-days', '2', '-subj', '/CN=dynotty test rendezvous CA']);
  await run(['req', '-new', '-config', cnf, ...ec, '-keyout', keyPath, '-out', csr, '-subj', '/CN=127.0.0.1']);
  const serial = `0x${Date.now().toString(16)}${process.pid.toString(16)}`;
  await run(['x509', '-req', '-in', csr, '-CA', caPath, '-CAkey', caKey, '-set_serial', serial, '-out', certPath, '-days', '2', '-extfile', cnf, '-extensions', 'leaf_ext']);
  return { caPath, certPath, keyPath };
}

function numberFrom(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 && n < 1000 ? n : fallback;
}

/** Starts the server and points the fake API's attach_url at it. */
export async function startRendezvous(options: RendezvousOptions): Promise<Rendezvous> {
  const { api } = options;
  const shell = options.shell ?? 'bash';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-rendezvous-'));
  const { caPath, certPath, keyPath } = await makeCertificates(dir);
  // On Fir (stack cnb) `heroku run` prepends `launcher`, the CNB launcher, which runs its
  // arguments in the app's environment. Here it just runs them.
  const binDir = path.join(dir, 'bin');
  mkdirSync(binDir);
  writeFileSync(path.join(binDir, 'launcher'), '#!/bin/sh\nexec "$@"\n');
  chmodSync(path.join(binDir, 'launcher'), 0o755);

  const sessions: RendezvousSession[] = [];
  const sockets = new Set<tls.TLSSocket>();
  const shells = new Set<pty.IPty>();

  const server = tls.createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    readSecret(socket);
  });

  function readSecret(socket: tls.TLSSocket): void {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), SECRET_TIMEOUT_MS);
    timer.unref();
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n');
      if (end < 0) {
        if (buffered.length > SECRET_LINE_MAX) socket.destroy();
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      const secret = buffered.subarray(0, end).toString('utf8');
      const rest = buffered.subarray(end + 2);
      attach(socket, secret, rest);
    };
    socket.on('data', onData);
  }

  function attach(socket: tls.TLSSocket, secret: string, early: Buffer): void {
    const run = api.state.runs.find((r) => r.secret === secret) ?? null;
    let finish: () => void = () => undefined;
    const session: RendezvousSession = {
      secret,
      run,
      command: null,
      env: {},
      cols: 80,
      rows: 24,
      exitCode: null,
      output: '',
      done: new Promise<void>((resolve) => (finish = resolve)),
    };
    sessions.push(session);
    if (run === null || !run.attach) {
      socket.destroy();
      finish();
      return;
    }
    if (run.forceNoTty) {
      // Not modelled: say so on the wire rather than pretend.
      socket.end(`${RENDEZVOUS_GREETING}fake rendezvous: --no-tty runs are not modelled\r\n`);
      finish();
      return;
    }
    const home = mkdtempSync(path.join(dir, 'dyno-'));
    // A dyno's prompt is `~ $ ` (HOME is the app folder). The system bashrc of the machine
    // running the tests may set its own PS1; the dyno's ~/.bashrc, read after it, wins.
    writeFileSync(path.join(home, '.bashrc'), "PS1='~ $ '\nunset PROMPT_COMMAND\n");
    const env: Record<string, string> = {
      PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: home,
      LANG: 'C.UTF-8',
      PORT: '5000',
      ...(api.state.configVars[run.app] ?? {}),
    };
    for (const [key, value] of Object.entries(run.env)) {
      if (value !== null && value !== undefined) env[key] = String(value);
    }
    Object.assign(env, { DYNO: run.dyno, FAKE_DYNO: '1', PS1: '~ $ ' });
    session.env = env;
    session.cols = numberFrom(run.env.COLUMNS, 80);
    session.rows = numberFrom(run.env.LINES, 24);
    session.command = run.command;

    // The greeting goes out alone, before the shell exists, so the CLI's dropped first
    // chunk can never hold the shell's first output.
    socket.write(RENDEZVOUS_GREETING, () => {
      if (socket.destroyed) {
        finish();
        return;
      }
      const proc = pty.spawn(shell, ['-c', run.command], {
        name: env.TERM ?? 'xterm-256color',
        cols: session.cols,
        rows: session.rows,
        cwd: home,
        env,
      });
      shells.add(proc);
      let slave = holdSlave(proc);
      const releaseSlave = (): void => {
        if (slave === null) return;
        try {
          closeSync(slave);
        } catch {
          // already closed
        }
        slave = null;
      };
      proc.onData((data) => {
        session.output += data;
        if (!socket.destroyed) socket.write(data);
      });
      if (early.length > 0) proc.write(early.toString('utf8'));
      socket.on('data', (chunk: Buffer) => proc.write(chunk.toString('utf8')));
      socket.on('close', () => {
        // The client went away: the dyno's process goes with it (SIGHUP, as a hangup).
        if (session.exitCode === null) {
          try {
            proc.kill('SIGHUP');
          } catch {
            // already gone
          }
        }
      });
      proc.onExit(({ exitCode }) => {
        releaseSlave();
        shells.delete(proc);
        session.exitCode = exitCode;
        rmSync(home, { recursive: true, force: true });
        if (socket.destroyed) {
          finish();
          return;
        }
        socket.once('close', finish);
        socket.end();
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  api.state.rendezvous = { host: '127.0.0.1', port };

  return {
    host: '127.0.0.1',
    port,
    caPath,
    certPath,
    sessions,
    async close(): Promise<void> {
      for (const proc of shells) {
        try {
          proc.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
