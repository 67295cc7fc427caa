import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Where services read the time when it decides something (a hold's release, an expiry), so that
 * tests move time by overriding this provider (`overrideProvider(Clock).useValue(manualClock)`)
 * instead of editing rows. SQL that decides by time takes `clock.now()` as a parameter, not `now()`.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
