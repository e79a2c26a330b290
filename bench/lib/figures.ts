/** The keys `npm run bench -- --json` prints, exactly these, in this order. */
export const JSON_KEYS = [
  'firstFrameMs',
  'herokuCliStartMs',
  'listing50AppsMs',
  'roundTripMs',
  'filter10kP99Ms',
  'cursor10kP99Ms',
  'embeddedMBps',
  'tmuxMBps',
  'barePtyMBps',
  'fullscreenMBps',
  'echoP99Ms',
  'tmuxEchoP99Ms',
  'rssMB10Sessions',
] as const;

export type JsonKey = (typeof JSON_KEYS)[number];

export type Unit = 'ms' | 'MB/s' | 'MB' | 'count';

/** One measured figure; `key` is a JSON key or, for table-only extras, any other name. */
export interface Figure {
  key: JsonKey | string;
  label: string;
  value: number;
  unit: Unit;
  /** How it was measured, the samples: one short line for the table. */
  detail: string;
}

export function isJsonKey(key: string): key is JsonKey {
  return (JSON_KEYS as readonly string[]).includes(key);
}

/** A measurement: a name for progress lines and the figures it produces. */
export interface Measurement {
  name: string;
  run: (log: (line: string) => void) => Promise<Figure[]>;
}
