import { Box, Text } from 'ink';
import { memo } from 'react';
import type { App, Dyno } from '../src/heroku/model.js';
import { positionByName } from '../src/store/filter.js';
import { selectVisible } from '../src/store/store.js';
import { fitToWidth, sanitize, truncateToWidth } from '../src/text/sanitize.js';
import { scrollOffset } from './layout.js';
import { useAppStore, useTheme } from './StoreContext.js';

interface Props {
  width: number;
  lines: number;
}

const tallies = new WeakMap<Dyno[], { up: number; crashed: number }>();
const NONE = { up: 0, crashed: 0 };

/** Up and crashed dynos of one app: counted once per dyno list, not once per frame. */
function counts(dynos: Dyno[] | undefined): { up: number; crashed: number } {
  if (dynos === undefined) return NONE;
  let tally = tallies.get(dynos);
  if (tally === undefined) {
    tally = { up: 0, crashed: 0 };
    for (const d of dynos) {
      if (d.state === 'up') tally.up++;
      else if (d.state === 'crashed') tally.crashed++;
    }
    tallies.set(dynos, tally);
  }
  return tally;
}

const STAGE_BADGES: Record<string, string> = { production: 'prod', staging: 'stg', development: 'dev', review: 'rev' };

function badges(app: App): string {
  const parts: string[] = [];
  const stage = app.pipelineStage ? STAGE_BADGES[app.pipelineStage] : undefined;
  if (stage !== undefined) parts.push(stage);
  if (app.generation === 'fir') parts.push('fir');
  if (app.space?.shield) parts.push('shield');
  return parts.join(' ');
}

interface RowProps {
  app: App;
  dynos: Dyno[] | undefined;
  error: string | undefined;
  selected: boolean;
  focused: boolean;
  width: number;
}

// Memoised: a cursor move redraws the two rows it changes. Only the selected row is padded
// (its highlight spans the name column); the others leave the blank cells to Ink, which
// draws them as spaces without measuring them character by character.
const AppRow = memo(function AppRow({ app, dynos, error, selected, focused, width }: RowProps) {
  const theme = useTheme();
  const { up, crashed } = counts(dynos);
  const badge = badges(app);
  const tally = `●${up}${crashed > 0 ? ` ✖${crashed}` : ''}${error ? ' !' : ''}`;
  const tail = `${badge ? ` ${badge}` : ''} ${tally} `;
  const nameWidth = Math.max(4, width - 2 - tail.length);
  const name = sanitize(app.name);
  return (
    <Box width={width}>
      <Box width={nameWidth + 2} flexShrink={0}>
        <Text inverse={selected && focused} bold={selected}>
          {selected ? `▸ ${fitToWidth(name, nameWidth)}` : `  ${truncateToWidth(name, nameWidth)}`}
        </Text>
      </Box>
      {badge !== '' && <Text color={theme.color('magenta')}> {badge}</Text>}
      <Text color={crashed > 0 || error ? theme.color('red') : theme.color('green')}> {tally}</Text>
    </Box>
  );
});

export function AppList({ width, lines }: Props) {
  const theme = useTheme();
  const apps = useAppStore((s) => selectVisible(s).apps);
  const allDynos = useAppStore((s) => s.dynos);
  const appErrors = useAppStore((s) => s.appErrors);
  const selected = useAppStore((s) => s.selectedApp);
  const focused = useAppStore((s) => s.focus === 'apps');
  const filtered = useAppStore((s) => s.filterQuery.trim() !== '');

  const rows = Math.max(0, lines - 1);
  const selectedIndex = positionByName(apps, selected);
  const offset = scrollOffset(selectedIndex, apps.length, rows);
  const shown = apps.slice(offset, offset + rows);
  const title = filtered ? `APPS ${apps.length} matching` : `APPS ${apps.length}`;

  return (
    <Box flexDirection="column" width={width} height={lines}>
      <Text bold={focused} color={focused ? theme.color('cyan') : undefined} dimColor={!focused}>
        {truncateToWidth(` ${title}`, width)}
      </Text>
      {apps.length === 0 && <Text dimColor>{truncateToWidth(filtered ? '  no app matches' : '  no apps', width)}</Text>}
      {/* Keyed by row on screen: a scroll updates the rows' text instead of rebuilding their Ink nodes. */}
      {shown.map((app, slot) => (
        <AppRow
          key={slot}
          app={app}
          dynos={allDynos[app.name]}
          error={appErrors[app.name]}
          selected={app.name === selected}
          focused={focused}
          width={width}
        />
      ))}
    </Box>
  );
}
