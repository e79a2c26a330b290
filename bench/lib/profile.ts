// Reads V8 .cpuprofile files (node --cpu-prof) and says where the time went: self time
// by function and by file or package, and total (inclusive) time of the heaviest
// functions, as a share of the sampled time.
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root, from dist/bench/lib. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Sampled time minus the idle node. */
  busyMs: number;
  /** Self time by area of the program (see CATEGORIES). */
  byCategory: ProfileRow[];
  selfByFunction: ProfileRow[];
  selfByFile: ProfileRow[];
  inclusive: ProfileRow[];
}

/** Where a script URL belongs: an npm package, a file of this repository, node's own, or V8. */
export function fileOf(url: string): string {
  if (url === '') return '(native/V8)';
  // Ink's only WebAssembly is yoga-layout's.
  if (url.startsWith('wasm://')) return 'yoga-layout (wasm)';
  if (url.startsWith('node:')) return url;
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = clean.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? '?');
    return `${pkg} (${rest.slice(rest[0]?.startsWith('@') ? 2 : 1).join('/')})`;
  }
  const dist = clean.indexOf('/dist/');
  if (dist >= 0) return clean.slice(dist + '/dist/'.length);
  const own = path.relative(repoRoot, clean);
  return own.startsWith('..') || path.isAbsolute(own) ? path.basename(clean) : own;
}

const sourceMaps = new Map<string, { map: SourceMap; dir: string } | null>();

function bundleMap(url: string): { map: SourceMap; dir: string } | null {
  if (!url.includes('/dist/bundle/')) return null;
  let found = sourceMaps.get(url);
  if (found === undefined) {
    try {
      const file = fileURLToPath(url);
      found = { map: new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]), dir: path.dirname(file) };
    } catch {
      found = null;
    }
    sourceMaps.set(url, found);
  }
  return found;
}

/**
 * A frame of the bundle (dist/bundle) as the file and line it came from, through the
 * bundle's source map: the areas below then tell Ink from React from dynotty again.
 */
function original(cf: CallFrame): CallFrame {
  const bundle = bundleMap(cf.url);
  if (bundle === null) return cf;
  const entry = bundle.map.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (entry.originalSource === undefined) return cf;
  const source = /^[a-z]+:\/\//i.test(entry.originalSource) ? entry.originalSource : pathToFileURL(path.resolve(bundle.dir, entry.originalSource)).href;
  return { functionName: cf.functionName, url: source, lineNumber: entry.originalLine ?? 0, columnNumber: entry.originalColumn ?? 0 };
}

/** Areas of dynotty's time, matched on the file a function lives in (first match wins). */
const CATEGORIES: [string, RegExp][] = [
  ['garbage collection', /^\(garbage collector\)$/],
  ['VT parsing (@xterm/headless)', /^@xterm\/headless/],
  ['fuzzy filter (fuzzysort, store/filter)', /^fuzzysort|^src\/store\/filter/],
  ['React (react, react-reconciler, scheduler)', /^(react|react-reconciler|scheduler) /],
  ['Ink output (ink, yoga, ansi-tokenize, slice-ansi, string-width, ...)', /^(ink|es-toolkit|@alcalzone\/ansi-tokenize|slice-ansi|string-width|wrap-ansi|cli-truncate|get-east-asian-width|emoji-regex|strip-ansi|ansi-styles|chalk|widest-line|yoga-layout) /],
  ['dynotty components/', /^components\//],
  ['dynotty src/ (store, session, text, ...)', /^src\//],
  ['HTTP (undici, fetch)', /^node:internal\/deps\/undici|^node:internal\/webstreams|^node:internal\/(abort_controller|event_target)/],
  ['user timing (performance.measure)', /^node:internal\/perf/],
  ['module loading', /^node:internal\/(modules|deps\/cjs-module-lexer|bootstrap)|^node:internal\/url/],
  ['pty and streams I/O', /^node-pty|^node:internal\/(streams|stream_base_commons)|^node:net|^node:tty/],
  ['child processes', /^node:internal\/child_process/],
  ['native/V8 (syscalls, builtins)', /^\(native\/V8\)$|^\(program\)$/],
];

function categoryOf(file: string): string {
  for (const [name, re] of CATEGORIES) if (re.test(file)) return name;
  return 'other';
}

function label(cf: CallFrame): string {
  const fn = cf.functionName === '' ? '(anonymous)' : cf.functionName;
  return `${fn} ${fileOf(cf.url)}:${cf.lineNumber + 1}`;
}

function top(map: Map<string, number>, total: number, n: number): ProfileRow[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, pct: total === 0 ? 0 : (100 * us) / total }));
}

export function summarizeProfile(file: string, n = 15): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of prof.nodes) byId.set(node.id, { ...node, callFrame: original(node.callFrame) });
  const parent = new Map<number, number>();
  for (const node of prof.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const selfUs = new Map<number, number>();
  prof.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));

  let total = 0;
  let idle = 0;
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byCat = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    total += us;
    const cf = node.callFrame;
    if (cf.functionName === '(idle)') {
      idle += us;
      continue;
    }
    byFn.set(label(cf), (byFn.get(label(cf)) ?? 0) + us);
    const f = cf.functionName === '(garbage collector)' ? '(garbage collector)' : cf.functionName === '(program)' ? '(program)' : fileOf(cf.url);
    byFile.set(f, (byFile.get(f) ?? 0) + us);
    const cat = categoryOf(f);
    byCat.set(cat, (byCat.get(cat) ?? 0) + us);
    // Inclusive: each distinct function on the stack once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const c = byId.get(cur)?.callFrame;
      if (c === undefined || c.functionName === '(root)') continue;
      const l = label(c);
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + us);
    }
  }
  const busy = total - idle;
  return {
    file,
    totalMs: total / 1000,
    busyMs: busy / 1000,
    byCategory: top(byCat, busy, CATEGORIES.length + 1),
    selfByFunction: top(byFn, busy, n),
    selfByFile: top(byFile, busy, n),
    inclusive: top(incl, busy, n),
  };
}

export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort();
}

export function renderProfile(s: ProfileSummary): string {
  const rows = (title: string, list: ProfileRow[]): string[] => [
    `  ${title}`,
    ...list.map((r) => `    ${r.pct.toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`),
  ];
  return [
    `${path.basename(s.file)}: ${s.totalMs.toFixed(0)} ms sampled, ${s.busyMs.toFixed(0)} ms busy (percentages are of busy time)`,
    ...rows('self time by area', s.byCategory),
    ...rows('self time by file/package', s.selfByFile),
    ...rows('self time by function', s.selfByFunction),
    ...rows('total time (inclusive) by function', s.inclusive),
  ].join('\n');
}
