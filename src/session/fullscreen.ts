import { DETACH_KEY, type SessionHandle } from '../store/sessions.js';
import { frameToAnsi } from './frame-ansi.js';

export interface HandOffIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * Gives the whole terminal to one session: its output byte for byte to the real
 * terminal, the keyboard byte for byte to it, resizes forwarded. Resolves when the
 * user detaches (Ctrl-]) or `ended` resolves (the child exited).
 */
export async function handOffFullscreen(handle: SessionHandle, io: HandOffIo, ended: Promise<void>): Promise<'detached' | 'exited'> {
  const { stdin, stdout } = io;
  handle.resize(stdout.columns, stdout.rows);
  // Everything delivered so far must be in the snapshot; what comes after, in the passthrough.
  // Both happen in the same turn below, so no chunk can fall between them.
  await handle.drain();
  return new Promise((resolve) => {
    let done = false;
    const finish = (how: 'detached' | 'exited'): void => {
      if (done) return;
      done = true;
      stdin.off('data', onKeys);
      stdout.off('resize', onResize);
      handle.setPassthrough(null);
      stdin.pause();
      resolve(how);
    };
    const onKeys = (chunk: Buffer | string): void => {
      const data = chunk.toString();
      const at = data.indexOf(DETACH_KEY);
      if (at < 0) return handle.write(data);
      if (at > 0) handle.write(data.slice(0, at));
      finish('detached');
    };
    const onResize = (): void => handle.resize(stdout.columns, stdout.rows);

    // The terminal may have been resized while the emulator drained.
    handle.resize(stdout.columns, stdout.rows);
    // Scroll what the user had on screen into their scrollback rather than paint over it; then
    // what the child drew before the hand-off (its first prompt), then its output, live.
    stdout.write(`\x1b[${stdout.rows};1H${'\n'.repeat(stdout.rows)}`);
    stdout.write(frameToAnsi(handle.snapshot()));
    handle.setPassthrough((data) => stdout.write(data));
    stdin.on('data', onKeys);
    stdout.on('resize', onResize);
    stdin.resume();
    void ended.then(() => finish('exited'));
  });
}
