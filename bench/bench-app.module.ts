import { Controller, Get, Module } from '@nestjs/common';
import { AppModule } from '../src/app.module';

/** The framework's ceiling: the same app, pipes, filters and middleware, and no work. */
@Controller('bench')
export class BareController {
  @Get('bare')
  bare(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [BareController] })
export class BareModule {}

@Module({ imports: [AppModule, BareModule] })
export class BenchAppModule {}
