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

/** `manyJobs`, with job `index`'s UserData made `bytes` long: an event too large for SQS or DynamoDB. */
export function manyJobsOneHuge(sample: string, count: number, index: number, bytes: number): string {
  const details = /<JobsDetail>[\s\S]*?<\/JobsDetail>/g;
  return manyJobs(sample, count).replace(details, (detail) =>
    detail.includes(`<JobId>j${index}many</JobId>`) ? detail.replace(/<UserData>[^<]*<\/UserData>/, `<UserData>${'x'.repeat(bytes)}</UserData>`) : detail,
  );
}
