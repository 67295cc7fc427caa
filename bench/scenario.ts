import { BenchOptions } from './bench-options';
import { DatabaseServer } from './bench-database';
import { ScenarioReport } from './report';

export interface ScenarioContext {
  server: DatabaseServer;
  options: BenchOptions;
  log(message: string): void;
}

export type Scenario = (context: ScenarioContext) => Promise<ScenarioReport>;
