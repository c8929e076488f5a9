import { checkResult, runScenario, scenarios } from '../soak/harness.ts';

/**
 * Short versions (4 s at 1,000 records/s) of the soak's key OTLP faults
 * (`npm run test:soak` runs them all for 30 s): the application child is
 * configured only by environment variables, and the loopback receiver's
 * count is the ground truth for the accounting. Event-loop bounds are loose
 * here: the suite shares two cores with everything else.
 */
describe('OTLP faults under load (short versions of the soak)', function () {
  this.timeout(60_000);
  for (const scenario of scenarios(4, 1000).filter((s) => ['outage', '503-429', '400'].includes(s.name))) {
    it(`accounts for every record when the receiver ${scenario.fault}`, async () => {
      const result = await runScenario(scenario, 1000, 4);
      checkResult(result, { eventLoopP99Ms: 1000, eventLoopMaxMs: 5000, rssGrowthMb: 300 });
    });
  }
});
