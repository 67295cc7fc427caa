import { Clock } from '../../src/common/clock';

/** A clock a test moves by hand: `createTestApp({ customize: (b) => b.overrideProvider(Clock).useValue(clock) })`. */
export class ManualClock extends Clock {
  private at: number;

  constructor(start: Date | number = Date.now()) {
    super();
    this.at = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }

  set(to: Date | number): void {
    this.at = new Date(to).getTime();
  }
}
