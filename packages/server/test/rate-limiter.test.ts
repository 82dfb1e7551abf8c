import { MemoryRateLimiter } from '../src/limits/memory-rate-limiter';
import { rateLimiterConformance } from './support/conformance/rate-limiter-conformance';
import { VirtualClock } from './support/virtual-clock';

// One process's buckets: both "processes" of the suite are the same limiter.
rateLimiterConformance('In-memory', async () => {
  const clock = new VirtualClock();
  const limiter = new MemoryRateLimiter(clock);
  return { clock, first: limiter, second: limiter };
});
