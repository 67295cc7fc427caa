import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsService } from '../jobs/jobs.service';
import { PURCHASE_REFUND_JOB, PurchaseJobData } from './purchase-jobs';
import { PurchasesRepository } from './purchases.repository';

/**
 * Finds refunded orders whose clawbacks lag their refund (a refund job that ran out of retries,
 * say while a beneficiary kept failing) and queues their settlement again. Settlement is
 * idempotent, so queueing an order that another worker is settling costs one no-op run.
 */
@Injectable()
export class RefundSweepService {
  private readonly logger = new Logger(RefundSweepService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PurchasesRepository,
    private readonly jobs: JobsService,
  ) {}

  /** How many orders were queued. */
  async run(): Promise<number> {
    const ids = await this.repository.unsettledRefunds(this.dataSource.manager);
    for (const purchaseId of ids) await this.jobs.send(PURCHASE_REFUND_JOB, { purchaseId } satisfies PurchaseJobData);
    if (ids.length > 0) this.logger.warn({ orders: ids.length }, 'queued the settlement of refunded orders whose clawbacks lagged');
    return ids.length;
  }
}
