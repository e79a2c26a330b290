import type { Fleet, FleetSource, SourceKind } from './source.js';

/**
 * A source whose start-up (spawning the demo fleet, finding a token) runs in the
 * background, so the picker's first frame does not wait for it.
 */
export class DeferredSource implements FleetSource {
  private readonly ready: Promise<FleetSource>;
  private started: FleetSource | null = null;
  private closed = false;

  constructor(
    readonly kind: SourceKind,
    readonly label: string,
    start: () => Promise<FleetSource>,
  ) {
    this.ready = start().then((source) => (this.started = source));
    // A start-up failure surfaces on the first load(); never as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async load(signal?: AbortSignal): Promise<Fleet> {
    return (await this.ready).load(signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const source = await this.ready.catch(() => null);
    await source?.close();
  }

  closeSync(): void {
    this.closed = true;
    this.started?.closeSync?.();
  }
}
