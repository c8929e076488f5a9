import type { EnvVar } from './variable.ts';

/**
 * Variables of the process and its runtime that logbridge reads but does not
 * own (Node's, npm's, the terminal's), a part of the one table in env.ts.
 * None of them is ever rejected: each is taken as it is.
 */
export const PROCESS_VARIABLES = {
  nodeEnv: {
    name: 'NODE_ENV',
    parse: (raw: string) => raw,
    defaultValue: '',
    description: '`production` makes the `auto` format `json` even on a TTY (a `docker run -t` in production keeps JSON lines).',
  },
  noColor: {
    name: 'NO_COLOR',
    parse: () => true,
    defaultValue: false,
    description: 'Any non-empty value: no colours in `pretty` output and the viewer, whatever else is set (https://no-color.org).',
  },
  forceColor: {
    name: 'FORCE_COLOR',
    parse: (raw: string) => raw !== '0' && raw.toLowerCase() !== 'false',
    defaultValue: undefined as boolean | undefined,
    // Node's and supports-color's convention: set, even empty, forces colours.
    whenEmpty: true,
    description: 'Colours in `pretty` output without a TTY, also when set but empty (`0` or `false`: none even on a TTY); `NO_COLOR` wins.',
  },
  term: {
    name: 'TERM',
    parse: (raw: string) => raw,
    defaultValue: '',
    description: '`dumb` turns colours off on a TTY (unless `FORCE_COLOR` is set).',
  },
  nodeOptions: {
    name: 'NODE_OPTIONS',
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'Read for `--unhandled-rejections=<mode>` (the command line wins), which the crash handlers follow.',
  },
  path: {
    name: 'PATH',
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'Passed on, alone, to the child process that delivers OTLP records synchronously at `process.exit()`.',
  },
  npmPackageName: {
    name: 'npm_package_name',
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'Set by `npm run`: the default resource `service.name` when `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` name none ' +
      '(the OTLP sink then looks for the nearest package.json above the main script).',
  },
  npmPackageVersion: {
    name: 'npm_package_version',
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'Set by `npm run`: the default resource `service.version`, with `npm_package_name`.',
  },
} satisfies Record<string, EnvVar<unknown>>;
