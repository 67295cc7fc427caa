import { NoPayload } from '../jobs/job-catalogue';

/** The daily level evaluation under LEVEL_WINDOW_MONTHS (level-evaluation.service.ts). */
export const LEVEL_EVALUATION_JOB = 'level-evaluation';

declare module '../jobs/job-catalogue' {
  interface JobPayloads {
    [LEVEL_EVALUATION_JOB]: NoPayload;
  }
}
