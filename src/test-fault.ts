// Test-only fault injection. With DYNOTTY_TEST_FAULT set, SIGUSR2 makes dynotty fail the way
// an unforeseen bug would (an exception nobody catches, or a promise rejection nobody
// handles), at a moment the end-to-end tests choose: the picker, a session, the full-screen
// hand-off. It proves the fatal-error path still gives the terminal back and leaves no
// process. Without the variable nothing is installed and SIGUSR2 keeps Node's default.
const FAULTS = ['uncaught-exception', 'unhandled-rejection'] as const;
type Fault = (typeof FAULTS)[number];

export const TEST_FAULT_VAR = 'DYNOTTY_TEST_FAULT';

function isFault(value: string): value is Fault {
  return (FAULTS as readonly string[]).includes(value);
}

export function installTestFault(env: NodeJS.ProcessEnv): void {
  const fault = env[TEST_FAULT_VAR];
  if (fault === undefined || fault === '') return;
  if (!isFault(fault)) throw new Error(`${TEST_FAULT_VAR} must be one of ${FAULTS.join(', ')}`);
  const error = new Error(`injected fault (${TEST_FAULT_VAR}=${fault})`);
  process.on('SIGUSR2', () => {
    if (fault === 'uncaught-exception') {
      setImmediate(() => {
        throw error;
      });
    } else {
      void Promise.reject(error);
    }
  });
}
