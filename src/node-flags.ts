/**
 * The flags dynotty's Node runs with: `npm start` passes them, the installed bin's launcher
 * line (scripts/bundle.ts) passes them, and so does the benchmark.
 *
 * --no-memory-reducer: V8's memory reducer runs two or three full collections about 8 s
 * after start-up, to hand back the few MB start-up used. Each paused the event loop 2-5 ms
 * (once 16 ms) and landed on keys typed into a session: echo p99 2.2-3.8 ms with it, 1.8-2.6
 * without, in the same runs. The heap stays some 8 MB bigger instead. It is a V8 flag Node
 * does not take from NODE_OPTIONS, and setting it at run time is too late (the reducer is
 * made with the heap and already armed by start-up's first collection).
 */
export const NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];

/**
 * The bundled CLI's first two lines. A shebang can carry only one argument portably
 * (`env -S` is missing from BusyBox), so the file starts as a shell script that execs node
 * with the flags on itself; to JavaScript the second line is a string and a comment.
 */
export function launcherLines(flags: readonly string[] = NODE_FLAGS): string {
  return `#!/bin/sh\n":" //; exec node ${flags.join(' ')} "$0" "$@"\n`;
}
