/**
 * The targets of issue 6, evaluated on one run's results: every ratio is
 * taken between cases measured side by side in the same run.
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
  metric?: (r: CaseResult) => number): TargetResult {
  if (a === undefined || b === undefined) return { name, target: `≤ ${max}×`, value: undefined, met: undefined };
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

export function checkTargets(results: readonly CaseResult[]): TargetResult[] {
  const correlated = find(results, 'correlated', 'span+request/logbridge');
  const plain = find(results, 'stdout', 'attrs3/logbridge');
  // References measured side by side with the correlated case (scenario 3) when present.
  const pino = find(results, 'correlated', 'reference/pino') ?? find(results, 'stdout', 'attrs3/pino');
  const pinoSync = find(results, 'correlated', 'reference/pino-sync') ?? find(results, 'stdout', 'attrs3/pino-sync');
  const floor = find(results, 'correlated', 'reference/floor') ?? find(results, 'floor', 'floor/per-field+chunks');
  const disabled = find(results, 'disabled', 'debug/logbridge');
  const targets = [
    ratioTarget('logbridge with trace + request correlation vs pino default destination (scenario 1 line, same scenario run)', correlated, pino, 0.5),
    ratioTarget('logbridge with trace + request correlation vs pino sync:true', correlated, pinoSync, 0.8),
    ratioTarget('logbridge with trace + request correlation vs the floor', correlated, floor, 2),
    ratioTarget('logbridge (no correlation) vs pino default destination', plain, find(results, 'stdout', 'attrs3/pino'), 0.5),
    {
      name: 'disabled level, logbridge ns per call',
      target: '≤ 2 ns',
      value: disabled === undefined ? undefined : `${disabled.nsPerUnit.toFixed(2)} ns`,
      met: disabled === undefined ? undefined : disabled.nsPerUnit <= 2,
      cpuValue: disabled === undefined ? undefined : `${disabled.cpuNsPerUnit.toFixed(2)} ns`,
      cpuMet: disabled === undefined ? undefined : disabled.cpuNsPerUnit <= 2,
    },
    ratioTarget('peak RSS, logbridge vs pino default destination (scenario 1)', plain, find(results, 'stdout', 'attrs3/pino'), 1, (r) => r.maxRssMiB),
  ];
  const otlp = results.filter((r) => r.scenario === 'otlp');
  const otlpProto = otlp.find((r) => r.id === 'steady/logbridge-proto');
  const sdkProto = otlp.find((r) => r.id === 'steady/otel-sdk-proto');
  const pinoTransport = otlp.find((r) => r.id === 'steady/pino-otel-transport');
  const cpuPerDelivered = (r: CaseResult): number => Number(r.extra?.['CPU µs/delivered'] ?? NaN);
  const bytesPerRecord = (r: CaseResult): number => Number(r.extra?.['bytes/record'] ?? NaN);
  if (otlp.length > 0) {
    targets.push(
      ratioTarget('OTLP CPU per delivered record, logbridge vs raw OTel SDK (protobuf)', otlpProto, sdkProto, 0.5, cpuPerDelivered),
      ratioTarget('OTLP CPU per delivered record, logbridge vs pino-opentelemetry-transport', otlpProto, pinoTransport, 0.25, cpuPerDelivered),
      ratioTarget('OTLP bytes per record, logbridge vs raw OTel SDK (protobuf)', otlpProto, sdkProto, 1, bytesPerRecord),
    );
    const burst = otlp.find((r) => r.id === 'burst/logbridge-proto');
    const dropped = burst === undefined ? undefined : Number(burst.extra?.dropped ?? NaN);
    targets.push({
      name: 'OTLP burst of 10,000 synchronous calls, logbridge defaults: records lost',
      target: '0',
      value: dropped === undefined ? undefined : String(dropped),
      met: dropped === undefined ? undefined : dropped === 0,
    });
  }
  return targets;
}
