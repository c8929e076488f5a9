/**
 * The contract between scenario files, the child process that runs one case
 * and the runner that compares them.
 */

/** What a case's setup hands back: the measured loop and the final flush. */
export interface Bench {
  /**
   * Makes `count` log calls (or writes), synchronously. Each case writes its
   * own loop so that no extra function call per record is measured.
   * `start` is the index of the first call (values vary per call).
   */
  loop(start: number, count: number): void;
  /** Resolves once everything logged so far has reached the descriptor. */
  end(): Promise<void> | void;
  /** Shuts the library down at the end of the last batch, inside the timing (OTLP: until delivered). */
  close?(): Promise<void> | void;
}

/** One library in one scenario variant. */
export interface Case {
  /** Unique within its scenario, e.g. `attrs3/pino`. */
  readonly id: string;
  /** Scenario variant, e.g. `attrs3` (the group a ratio is taken in). */
  readonly variant: string;
  /** Library and configuration, as printed in the table. */
  readonly library: string;
  /** `true` for the case every other case of the variant is divided by. */
  readonly reference?: boolean;
  /** Share of the scenario's record count this case runs (slow libraries run fewer). */
  readonly scale?: number;
  /** At most this many runs (processes), for secondary cases (default: the runner's `--runs`). */
  readonly runs?: number;
  /** Measured batches per process (default 3; the fastest counts). */
  readonly batches?: number;
  /** Extra environment variables of the child process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Calls per event-loop turn (default: the runner's `--turn`). */
  readonly turn?: number;
  /** Lines expected on stdout for `calls` log calls (default: one per call). */
  readonly expectedLines?: (calls: number) => number;
  /** Substrings every line must contain (checked before any time counts). */
  readonly mustContain?: readonly string[];
  /**
   * Time `setup()` too, as part of the first batch (cold cases): each library then pays for
   * loading its modules and building its pipeline, wherever it does that (the SDK in its setup,
   * logbridge partly at its first record).
   */
  readonly timedSetup?: boolean;
  /** Builds the logger in the child process (imports happen here, not at module load). */
  setup(): Promise<Bench>;
}

/** A scenario file's export. */
export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** What one unit is: a written record, or a (disabled) call. */
  readonly unit: 'record' | 'call';
  /** Measured calls per run, before `--quick` and each case's `scale`. */
  readonly count: number;
  /** Warm-up calls before measuring. */
  readonly warmup: number;
  readonly cases: readonly Case[];
  /**
   * A driver of its own, for scenarios that need more than a child writing
   * to /dev/null (OTLP: a receiver in the runner's process). Default: the
   * runner's verify-then-measure loop.
   */
  run?(cases: readonly Case[], options: RunnerOptions): Promise<{ results: CaseResult[]; failures: Array<{ id: string; problem: string }> }>;
}

/** The runner's options, as scenarios with their own driver see them. */
export interface RunnerOptions {
  readonly quick: boolean;
  readonly runs: number;
  readonly turn: number;
  /** Send OTLP to this receiver instead of the built-in one (received counts are then not checked). */
  readonly otlpEndpoint?: string | undefined;
}

/** One case's summary over its runs. */
export interface CaseResult {
  readonly scenario: string;
  readonly id: string;
  readonly variant: string;
  readonly library: string;
  readonly unit: 'record' | 'call';
  readonly reference: boolean;
  readonly runs: number;
  readonly calls: number;
  /** Median wall-clock time per unit, ns (calls and final flush). */
  readonly nsPerUnit: number;
  readonly nsMin: number;
  readonly nsMax: number;
  /** Half the min–max range over the median. */
  readonly spread: number;
  /** Median CPU time (user + system, all threads) per unit, ns. */
  readonly cpuNsPerUnit: number;
  /** Median peak RSS of the process, MiB. */
  readonly maxRssMiB: number;
  readonly samplesNs: readonly number[];
  /** Wall time over the reference case's (pino's default destination) of the same variant. */
  ratio?: number;
  cpuRatio?: number;
  /** Scenario-specific columns (OTLP: bytes per record, delivered, dropped). */
  extra?: Record<string, string | number>;
}

/** What a child reports on fd 3 for one run. */
export interface RunSample {
  /** Calls in the reported (fastest) batch. */
  readonly calls: number;
  /** Wall-clock time of the fastest batch, calls and final flush. */
  readonly wallNs: number;
  /** CPU time (user + system, every thread of the process) of that batch, µs. */
  readonly cpuUs: number;
  /** Wall time of every batch, for the record. */
  readonly batchesWallNs: readonly number[];
  /** Peak resident set size of the whole process, KiB. */
  readonly maxRssKiB: number;
  readonly heapUsedBytes: number;
}
