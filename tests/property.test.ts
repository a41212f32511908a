import fc from 'fast-check';
import { isWorkflowFinished, type CallbackEvent } from '../lib/events';
import {
  job,
  jobCallback,
  jsonStyle,
  toJson,
  toXml,
  workflowCallback,
  workflowExecution,
  xmlStyle,
  type GeneratedCallback,
  type JobModel,
  type WorkflowModel,
} from './support/generate-callbacks';
import { eventsOf } from './support/parse';

const anyCallback = fc.oneof(jobCallback(), workflowCallback());
const idsOf = (events: CallbackEvent[]) => events.map((e) => e.id);

describe('random valid callbacks', () => {
  test('the XML and JSON encodings of a callback normalize to identical events', () => {
    fc.assert(
      fc.property(anyCallback, xmlStyle, jsonStyle, (callback, xs, js) => {
        expect(eventsOf(toXml(callback, xs))).toStrictEqual(eventsOf(toJson(callback, js)));
      }),
      { numRuns: 150 },
    );
  });

  test('normalization never throws, and gives one event per job (or run) read from the right fields', () => {
    fc.assert(
      fc.property(anyCallback, xmlStyle, (callback, style) => {
        const events = eventsOf(toXml(callback, style));
        expect(events.map(summary)).toEqual(expected(callback));
      }),
      { numRuns: 100 },
    );
  });

  test('ids are stable: the same callback twice gives the same events', () => {
    fc.assert(
      fc.property(anyCallback, jsonStyle, (callback, style) => {
        const body = toJson(callback, style);
        expect(eventsOf(body)).toStrictEqual(eventsOf(body));
      }),
      { numRuns: 50 },
    );
  });

  test('ids are unique: distinct JobIds in a callback give distinct ids', () => {
    fc.assert(
      fc.property(jobCallback({ minJobs: 2 }), (callback) => {
        const ids = idsOf(eventsOf(toXml(callback)));
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 50 },
    );
  });
});

describe('what an id depends on', () => {
  const jobBody = (j: JobModel) => toJson({ family: 'job', eventName: true, jobs: [j] });
  const runBody = (run: WorkflowModel) =>
    toXml({ family: 'workflow', eventName: false, execution: run });
  const idOf = (body: string) => idsOf(eventsOf(body))[0];

  test('a job in another final state (State or Code) has another id', () => {
    fc.assert(
      fc.property(job, job, (a, b) => {
        fc.pre(a.State !== b.State || a.Code !== b.Code);
        expect(idOf(jobBody({ ...a, State: b.State, Code: b.Code }))).not.toBe(idOf(jobBody(a)));
      }),
      { numRuns: 100 },
    );
  });

  test('another job has another id, even in the same state', () => {
    fc.assert(
      fc.property(job, job, (a, b) => {
        fc.pre(a.JobId !== b.JobId);
        expect(idOf(jobBody({ ...b, State: a.State, Code: a.Code }))).not.toBe(idOf(jobBody(a)));
      }),
      { numRuns: 100 },
    );
  });

  test('the same job in the same final state has the same id, whatever else the redelivery carries', () => {
    fc.assert(
      fc.property(job, job, (a, b) => {
        const redelivered = { ...b, JobId: a.JobId, State: a.State, Code: a.Code };
        expect(idOf(jobBody(redelivered))).toBe(idOf(jobBody(a)));
      }),
      { numRuns: 100 },
    );
  });

  test('workflow runs: another RunId or State gives another id, the same ones the same id', () => {
    const run = workflowExecution({ maxTasks: 3 });
    fc.assert(
      fc.property(run, run, (a, b) => {
        fc.pre(a.RunId !== b.RunId && a.State !== b.State);
        const id = idOf(runBody(a));
        expect(idOf(runBody({ ...a, RunId: b.RunId }))).not.toBe(id);
        expect(idOf(runBody({ ...a, State: b.State }))).not.toBe(id);
        expect(idOf(runBody({ ...b, RunId: a.RunId, State: a.State }))).toBe(id);
      }),
      { numRuns: 100 },
    );
  });
});

function summary(event: CallbackEvent) {
  if (isWorkflowFinished(event)) {
    const data = event.data;
    return { subject: event.subject, runId: data.runId, state: data.state, tasks: data.tasks.map((t) => t.jobId) };
  }
  const data = event.data;
  return { subject: event.subject, jobId: data.jobId, tag: 'tag' in data ? data.tag : undefined, state: data.state, code: data.code };
}

function expected(callback: GeneratedCallback) {
  if (callback.family === 'workflow') {
    const run = callback.execution;
    return [{ subject: run.RunId, runId: run.RunId, state: run.State, tasks: run.Tasks.map((t) => t.JobId) }];
  }
  return callback.jobs.map((j) => ({ subject: j.JobId, jobId: j.JobId, tag: j.Tag, state: j.State, code: j.Code }));
}
