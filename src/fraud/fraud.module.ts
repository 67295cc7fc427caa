import { Module } from '@nestjs/common';
import { FraudRepository } from './fraud.repository';
import { FraudService } from './fraud.service';

@Module({ providers: [FraudService, FraudRepository], exports: [FraudService] })
export class FraudModule {}
