import { sampleBody } from './fixtures';

/** The `<JobsDetail>` element of an XML job sample. */
export function jobsDetailOf(sample: string): string {
  const match = /<JobsDetail>[\s\S]*<\/JobsDetail>/.exec(sampleBody(sample));
  if (!match) throw new Error(`${sample} has no <JobsDetail>`);
  return match[0];
}

/** One TaskFinish callback listing several jobs (CI sends one per job; the format allows many). */
export function jobCallback(details: string[]): string {
  return `<Response><EventName>TaskFinish</EventName>${details.join('')}</Response>`;
}

/** A callback with `count` jobs, each the sample's job under its own JobId. */
export function manyJobs(sample: string, count: number): string {
  const detail = jobsDetailOf(sample);
  return jobCallback(Array.from({ length: count }, (_, i) => detail.replace(/<JobId>[^<]*<\/JobId>/, `<JobId>j${i}many</JobId>`)));
}
