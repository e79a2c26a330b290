// The entry of the bundle's UI libraries script (dist/bundle/ui-libraries-<hash>.js): what
// src/ui-libraries.ts runs through V8's code cache and the bundle's `ink`, `react` and
// `react/jsx-runtime` hand on.
import * as ink from 'ink';
import * as react from 'react';
import * as jsxRuntime from 'react/jsx-runtime';

export { ink, jsxRuntime, react };
