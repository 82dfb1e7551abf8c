import type { AttachableClock, Clock as EngineClock } from 'pg-boss';
import { systemClock, type Clock } from '../../time/clock';

/**
 * pg-boss's clock in a server: the server's time, and the platform's timers for pg-boss's own
 * housekeeping (supervise passes, maintenance), which a clock moved by hand would otherwise have
 * to stop at one by one. A clock that can be attached to the database (the tests' virtual clocks)
 * stays attachable: the database's time for pg-boss then follows it, so leases and due times agree
 * with the server's.
 */
export function engineClock(clock: Clock): EngineClock | AttachableClock {
  const timers: EngineClock = {
    now: () => clock.now(),
    setTimeout: systemClock.setTimeout,
    clearTimeout: systemClock.clearTimeout,
    setInterval: systemClock.setInterval,
    clearInterval: systemClock.clearInterval,
  };
  const { attach } = clock as Partial<AttachableClock>;
  return attach ? { ...timers, attach: (target) => attach.call(clock, target) } : timers;
}
