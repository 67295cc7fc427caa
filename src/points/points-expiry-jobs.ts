import { NoPayload } from '../jobs/job-catalogue';

/** The daily run of points expiry: dates lots opened while expiry was off, expires due lots, sends reminders. */
export const POINTS_EXPIRY_JOB = 'points-expiry';

declare module '../jobs/job-catalogue' {
  interface JobPayloads {
    [POINTS_EXPIRY_JOB]: NoPayload;
  }
}
