import { Box, Text } from 'ink';
import type { App, Dyno } from '../src/heroku/model.js';
import { selectVisible } from '../src/store/store.js';
import { fitToWidth, sanitize } from '../src/text/sanitize.js';
import { scrollOffset } from './layout.js';
import { useAppStore, useTheme } from './StoreContext.js';

interface Props {
  width: number;
  lines: number;
}

function counts(dynos: Dyno[] | undefined): { up: number; crashed: number } {
  let up = 0;
  let crashed = 0;
  for (const d of dynos ?? []) {
    if (d.state === 'up') up++;
    else if (d.state === 'crashed') crashed++;
  }
  return { up, crashed };
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

export function AppList({ width, lines }: Props) {
  const theme = useTheme();
  const visible = useAppStore((s) => selectVisible(s));
  const allDynos = useAppStore((s) => s.dynos);
  const appErrors = useAppStore((s) => s.appErrors);
  const selected = useAppStore((s) => s.selectedApp);
  const focused = useAppStore((s) => s.focus === 'apps');
  const filtered = useAppStore((s) => s.filterQuery.trim() !== '');

  const apps = visible.apps;
  const rows = Math.max(0, lines - 1);
  const selectedIndex = apps.findIndex((a) => a.name === selected);
  const offset = scrollOffset(selectedIndex, apps.length, rows);
  const shown = apps.slice(offset, offset + rows);
  const title = filtered ? `APPS ${apps.length} matching` : `APPS ${apps.length}`;

  return (
    <Box flexDirection="column" width={width} height={lines}>
      <Text bold={focused} color={focused ? theme.color('cyan') : undefined} dimColor={!focused}>
        {fitToWidth(` ${title}`, width)}
      </Text>
      {apps.length === 0 && <Text dimColor>{fitToWidth(filtered ? '  no app matches' : '  no apps', width)}</Text>}
      {shown.map((app) => {
        const isSelected = app.name === selected;
        const { up, crashed } = counts(allDynos[app.name]);
        const badge = badges(app);
        const tally = `●${up}${crashed > 0 ? ` ✖${crashed}` : ''}${appErrors[app.name] ? ' !' : ''}`;
        const tail = `${badge ? ` ${badge}` : ''} ${tally} `;
        const nameWidth = Math.max(4, width - 2 - tail.length);
        return (
          <Box key={app.id} width={width}>
            <Text inverse={isSelected && focused} bold={isSelected}>
              {isSelected ? '▸ ' : '  '}
              {fitToWidth(sanitize(app.name), nameWidth)}
            </Text>
            <Text color={theme.color('magenta')}>{badge ? ` ${badge}` : ''}</Text>
            <Text color={crashed > 0 || appErrors[app.name] ? theme.color('red') : theme.color('green')}> {tally} </Text>
          </Box>
        );
      })}
    </Box>
  );
}
