// The session header's clock: drawn by the painter each second, not by an Ink render.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { formatDuration } from '../../components/duration.js';
import { useSessionClock } from '../../components/useSessionClock.js';
import { PanePainter, type Overlay } from '../../src/session/pane-painter.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const place: Omit<Overlay, 'text'> = { row: 0, col: 10, style: { bold: true } };

function harness(painter: PanePainter | null, clock: () => number, fits: (text: string) => boolean = () => true) {
  let renders = 0;
  function Clock() {
    renders++;
    const now = useSessionClock({ painter, startedAt: 0, live: true, place, fits, clock });
    return <Text>{formatDuration(now)}</Text>;
  }
  const view = render(<Clock />);
  return { view, renders: () => renders };
}

describe('useSessionClock', () => {
  it('with a painter, paints each second into the same cells and leaves Ink alone', async () => {
    let t = 5_000;
    const writes: string[] = [];
    const painter = new PanePainter((d) => writes.push(d));
    const { view, renders } = harness(painter, () => t);
    try {
      const before = renders();
      t = 6_000;
      await sleep(1_150);
      t = 7_000;
      await sleep(1_000);
      assert.equal(renders(), before, 'no render');
      assert.equal(view.lastFrame(), '0:05');
      assert.ok(writes.some((w) => w.includes('\x1b[1;11H') && w.includes('0:06')), 'second 6 painted at row 1, column 11');
      assert.ok(writes.at(-1)?.includes('0:07'));
    } finally {
      view.unmount();
    }
  });

  it('renders through Ink when the text grows a digit, does not fit, or there is no painter', async () => {
    let t = 599_000;
    const painter = new PanePainter(() => undefined);
    const grows = harness(painter, () => t);
    const narrow = harness(painter, () => t, () => false);
    const bare = harness(null, () => t);
    try {
      assert.equal(grows.view.lastFrame(), '9:59');
      t = 600_000;
      await sleep(1_150);
      assert.equal(grows.view.lastFrame(), '10:00');
      assert.equal(narrow.view.lastFrame(), '10:00');
      assert.equal(bare.view.lastFrame(), '10:00');
      t = 601_000;
      await sleep(1_000);
      assert.equal(grows.view.lastFrame(), '10:00', 'same width again: painted, not rendered');
      assert.equal(narrow.view.lastFrame(), '10:01');
      assert.equal(bare.view.lastFrame(), '10:01');
    } finally {
      for (const h of [grows, narrow, bare]) h.view.unmount();
    }
  });
});

describe('useSessionClock clean-up', () => {
  it('takes the overlay away before Ink draws what replaces the clock', async () => {
    const painter = new PanePainter(() => undefined);
    const shown: (string | null)[] = [];
    const setOverlay = painter.setOverlay.bind(painter);
    painter.setOverlay = (o) => {
      shown.push(o?.text ?? null);
      setOverlay(o);
    };
    let t = 5_000;
    function Clock({ live }: { live: boolean }) {
      const now = useSessionClock({ painter, startedAt: 0, live, place, fits: () => true, clock: () => t });
      return <Text>{formatDuration(now)}</Text>;
    }
    // Ink's write of the next frame, as the picker wires it (notifyingStream): the overlay must be gone by then.
    let overlayAtWrite: string | null | undefined;
    const view = render(<Clock live />);
    const stdoutWrite = view.stdout.write.bind(view.stdout);
    view.stdout.write = (frame: string) => {
      overlayAtWrite = shown.at(-1);
      stdoutWrite(frame);
    };
    try {
      t = 6_000;
      await sleep(1_150);
      assert.equal(shown.at(-1), '0:06');
      view.rerender(<Clock live={false} />);
      assert.equal(overlayAtWrite, null, 'cleared before the frame was written');
    } finally {
      view.unmount();
    }
  });
});
