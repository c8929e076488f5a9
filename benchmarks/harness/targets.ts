/**
 * The targets (issue 13), evaluated on one run's results: every ratio is
 * taken between cases measured side by side in the same run, on wall time
 * and CPU time, and on instructions per record when the callgrind mode ran.
 */
import type { CaseResult } from './types.ts';

export type { CaseResult } from './types.ts';

export interface TargetResult {
  readonly name: string;
  readonly target: string;
  /** The measured value, formatted; undefined when a case is missing. */
  readonly value: string | undefined;
  readonly met: boolean | undefined;
  /** The same ratio on CPU time, where it applies: steadier than wall time on a busy machine. */
  readonly cpuValue?: string | undefined;
  readonly cpuMet?: boolean | undefined;
}

function find(results: readonly CaseResult[], scenario: string, id: string): CaseResult | undefined {
  return results.find((r) => r.scenario === scenario && r.id === id);
}

function ratioTarget(name: string, a: CaseResult | undefined, b: CaseResult | undefined, max: number,
  metric?: (r: CaseResult) => number, difference = false): TargetResult {
  if (a === undefined || b === undefined) return { name, target: difference ? `≤ +${max} ns` : `≤ ${max}×`, value: undefined, met: undefined };
  if (difference && metric !== undefined) {
    const d = metric(a) - metric(b);
    // A difference smaller than either case's own spread over its runs is not measured: say so, not "met".
    const noise = Math.max(a.spread * a.nsPerUnit, b.spread * b.nsPerUnit);
    const value = `${d >= 0 ? '+' : ''}${d.toFixed(0)} ns`;
    if (Math.abs(d) < noise) return { name, target: `≤ +${max} ns`, value: `${value} (within the runs' spread, ±${noise.toFixed(0)} ns)`, met: undefined };
    return { name, target: `≤ +${max} ns`, value, met: d <= max };
  }
  if (metric !== undefined) {
    const ratio = metric(a) / metric(b);
    return { name, target: `≤ ${max}×`, value: `${ratio.toFixed(2)}×`, met: ratio <= max };
  }
  const ratio = a.nsPerUnit / b.nsPerUnit;
  const cpu = a.cpuNsPerUnit / b.cpuNsPerUnit;
  return {
    name, target: `≤ ${max}×`, value: `${ratio.toFixed(2)}×`, met: ratio <= max,
    cpuValue: `${cpu.toFixed(2)}×`, cpuMet: cpu <= max,
  };
}

/** Instructions per record of the callgrind mode (`--instructions`), by case id, when it ran. */
export type InstructionCounts = Readonly<Record<string, number>>;

function instructionTarget(name: string, counts: InstructionCounts | undefined, a: string, b: string, max: number): TargetResult {
  const x = counts?.[a];
  const y = counts?.[b];
  if (x === undefined || y === undefined) return { name: `${name} (instructions)`, target: `≤ ${max}×`, value: undefined, met: undefined };
  const ratio = x / y;
  return { name: `${name} (instructions)`, target: `≤ ${max}×`, value: `${ratio.toFixed(2)}× (${Math.round(x)} / ${Math.round(y)})`, met: ratio <= max };
}

export function checkTargets(results: readonly CaseResult[], instructions?: InstructionCounts): TargetResult[] {
  const get = (scenario: string, id: string): CaseResult | undefined => find(results, scenario, id);
  const plain = get('stdout', 'attrs3/logbridge');
  const plainFloor = get('floor', 'floor/per-field+chunks');
  const pino = get('stdout', 'attrs3/pino');
  const pinoSync = get('stdout', 'attrs3/pino-sync');
  const disabled = get('disabled', 'debug/logbridge');
  const targets: TargetResult[] = [];
  for (const shape of ['steady', 'rotating']) {
    const label = `correlated line (${shape === 'steady' ? 'one span and request' : 'new span + UUIDv7 request every 100 records'}) vs the correlated floor`;
    targets.push(ratioTarget(label, get('correlated', `${shape}/logbridge`), get('correlated', `${shape}/floor`), 1.5));
    targets.push(instructionTarget(label, instructions, `correlated/${shape}/logbridge`, `correlated/${shape}/floor`, 1.5));
  }
  targets.push(
    ratioTarget('plain line vs the plain floor', plain, plainFloor, 1.3),
    instructionTarget('plain line vs the plain floor', instructions, 'stdout/attrs3/logbridge', 'floor/floor/per-field+chunks', 1.3),
    ratioTarget('plain line vs pino default destination (for reference)', plain, pino, 1),
    ratioTarget('plain line vs pino sync:true (for reference)', plain, pinoSync, 1),
    {
      name: 'disabled level, logbridge ns per call',
      target: '≤ 1 ns',
      value: disabled === undefined ? undefined : `${disabled.nsPerUnit.toFixed(2)} ns`,
      met: disabled === undefined ? undefined : disabled.nsPerUnit <= 1,
      cpuValue: disabled === undefined ? undefined : `${disabled.cpuNsPerUnit.toFixed(2)} ns`,
      cpuMet: disabled === undefined ? undefined : disabled.cpuNsPerUnit <= 1,
    },
    ratioTarget('peak RSS, logbridge vs pino default destination (scenario 1)', plain, pino, 1, (r) => r.maxRssMiB),
    ratioTarget('peak RSS, logbridge vs pino sync:true (scenario 1)', plain, pinoSync, 1.2, (r) => r.maxRssMiB),
    ratioTarget('redaction cost: logbridge (default redaction) vs redact:false, ns difference ≤ 30', plain,
      get('stdout', 'attrs3/logbridge-noredact'), 30, (r) => r.nsPerUnit, true),
  );
  const otlp = results.filter((r) => r.scenario === 'otlp');
  if (otlp.length > 0) {
    const o = (id: string): CaseResult | undefined => otlp.find((r) => r.id === id);
    const cpuPerDelivered = (r: CaseResult): number => Number(r.extra?.['CPU µs/delivered'] ?? NaN);
    const bytesPerRecord = (r: CaseResult): number => Number(r.extra?.['bytes/record'] ?? NaN);
    targets.push(
      ratioTarget('OTLP CPU per delivered record vs raw SDK defaults (protobuf, warm)', o('steady/logbridge-proto'), o('steady/otel-sdk-proto'), 0.5, cpuPerDelivered),
      ratioTarget('OTLP CPU per delivered record vs raw SDK, queue that drops nothing (protobuf)', o('steady/logbridge-proto'), o('steady/otel-sdk-proto-bigqueue'), 0.5, cpuPerDelivered),
      ratioTarget('OTLP CPU per delivered record vs raw SDK defaults (http/json)', o('steady/logbridge-json'), o('steady/otel-sdk-json'), 0.5, cpuPerDelivered),
      ratioTarget('OTLP CPU per delivered record vs raw SDK, queue that drops nothing (http/json)', o('steady/logbridge-json'), o('steady/otel-sdk-json-bigqueue'), 0.5, cpuPerDelivered),
      ratioTarget('OTLP CPU per delivered record vs raw SDK defaults (protobuf, cold)', o('cold/logbridge-proto'), o('cold/otel-sdk-proto'), 0.5, cpuPerDelivered),
      ratioTarget('OTLP bytes per record vs the official exporter (protobuf)', o('steady/logbridge-proto'), o('steady/otel-sdk-proto'), 1, bytesPerRecord),
    );
    const lbRate = o('rate/logbridge-proto');
    const sdkRate = o('rate/otel-sdk-proto');
    // the rate cases' ns/record is 1e9 / the highest rate found (sustained-rate.ts)
    const rateOf = (r: CaseResult | undefined): number => Math.round(1e9 / (r?.nsPerUnit ?? NaN));
    const rateRatio = lbRate === undefined || sdkRate === undefined ? undefined : rateOf(lbRate) / rateOf(sdkRate);
    targets.push({
      name: 'OTLP sustained delivery: highest rate with every record delivered, logbridge vs raw SDK defaults (protobuf)',
      target: '≥ 2×',
      value: rateRatio === undefined ? undefined : `${rateRatio.toFixed(2)}× (${rateOf(lbRate)} / ${rateOf(sdkRate)} records/s)`,
      met: rateRatio === undefined ? undefined : rateRatio >= 2,
    });
    for (const id of ['sustained/logbridge-proto', 'sustained/logbridge-json', 'burst/logbridge-proto']) {
      const r = o(id);
      const dropped = r === undefined ? undefined : Number(r.extra?.dropped ?? NaN);
      targets.push({
        name: `OTLP ${id.replace('/logbridge-', ', ')} (${id.startsWith('burst') ? '10,000 calls in one turn' : '200,000 records, 100 per turn'}), defaults: records lost`,
        target: '0', value: dropped === undefined ? undefined : String(dropped), met: dropped === undefined ? undefined : dropped === 0,
      });
    }
  }
  return targets;
}
