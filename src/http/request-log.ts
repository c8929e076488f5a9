import type { Logger } from '../core/logger.ts';
import { TALLY_LEVELS, type RequestTally } from '../core/request-tally.ts';
import type { IncomingRequest, RequestOutcome } from './request-options.ts';

export type { CanonicalLineOptions } from './request-options.ts';

/**
 * The per-request record of the HTTP adapters (event `http.server.request`,
 * logger `http.server` by default): the access-log record, or — with the
 * `canonicalLine` option — the canonical line, the same record widened with
 * everything learned while handling the request (docs/logs-and-traces.md).
 * Internal to the HTTP adapters.
 */

/** What the request-log record is made from. */
export interface RequestFacts {
  readonly request: IncomingRequest;
  readonly outcome: RequestOutcome;
  /** The route template, when known. */
  readonly route: string | undefined;
  readonly seconds: number;
  /** The request's tally: set for the canonical line. */
  readonly tally: RequestTally | undefined;
}

/**
 * Writes the access-log record, or the canonical line when `facts.tally`
 * is set, with `log`, in the caller's (the request's) context. Exactly one
 * record. Never throws (logging never does).
 */
export function writeRequestLog(log: Logger, facts: RequestFacts): void {
  const { request, outcome, route, tally } = facts;
  const aborted = outcome.aborted === true;
  const attributes: Record<string, unknown> = tally?.attributes === undefined ? {} : { ...tally.attributes };
  attributes['http.request.method'] = request.method;
  attributes['url.path'] = request.path;
  attributes['url.scheme'] = request.scheme;
  // An aborted request whose response never started has no status to report.
  if (!(aborted && outcome.responseStarted === false && tally !== undefined)) {
    attributes['http.response.status_code'] = outcome.statusCode;
  } else {
    delete attributes['http.response.status_code'];
  }
  attributes['http.server.request.duration'] = Math.round(facts.seconds * 1e6) / 1e6;
  if (route !== undefined) attributes['http.route'] = route;
  // error.type only for a failed request (semconv): the exception's type when one is known, else the status.
  if (aborted) attributes['error.type'] = 'aborted';
  else if (outcome.statusCode >= 500) attributes['error.type'] = tally?.firstError?.type ?? String(outcome.statusCode);
  let message = `${request.method} ${route ?? request.path} ${outcome.statusCode}`;
  if (tally !== undefined) {
    if (tally.firstError !== undefined) {
      attributes['logbridge.first_error.type'] = tally.firstError.type;
      attributes['logbridge.first_error.message'] = tally.firstError.message;
    }
    tally.counts.forEach((n, i) => { if (n > 0) attributes[`logbridge.records.${TALLY_LEVELS[i]!}`] = n; });
    // The message names the route template, never the raw path (it may hold IDs or secrets).
    message = `${request.method} ${route ?? '(no route)'} ${aborted ? 'aborted' : outcome.statusCode}`;
    tally.closed = true;
  }
  log.event('http.server.request', attributes, {
    level: outcome.statusCode >= 500 || aborted ? 'error' : 'info',
    message,
  });
}
