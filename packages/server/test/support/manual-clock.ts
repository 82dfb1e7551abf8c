import type { Clock } from '../../src';

/** A clock that moves only when a test moves it. */
export class ManualClock implements Clock {
  constructor(private time: number = Date.parse('2026-01-01T12:00:00.000Z')) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
