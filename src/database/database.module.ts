import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('DATABASE_URL is not set: main.ts starts the embedded database first');
        // Modules register their own entities (TypeOrmModule.forFeature) on top of database/entities.ts.
        return { ...dataSourceOptions(config.databaseUrl), autoLoadEntities: true };
      },
    }),
  ],
})
export class DatabaseModule {}
