import { ScenarioReport } from '../report';
import { Scenario } from '../scenario';

export const purchaseEvents: Scenario = async (): Promise<ScenarioReport> => {
  throw new Error('not written yet');
};
