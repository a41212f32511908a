// `npm run connect -- --url <callback URL> [--apply] [--check] [--format xml|json] [--workflow-url <URL>]`
// Points every queue and workflow of the bucket at the callback URL. Without --apply it only
// lists each callback and the change it would make; --check first proves the URL answers
// what CI's console sends. Exit 0: done; 1: something failed (named); 2: usage or settings.
import { parseArgs } from 'node:util';
import { CiAdminClient } from './connect/ci-admin-client';
import { checkRequests, checkUrl } from './connect/check';
import { connect } from './connect/connect';
import { maskToken, type ResultFormat } from './connect/plan';
import { loadCiTarget, TargetError } from './connect/target';

const USAGE = 'usage: npm run connect -- --url <callback URL> [--apply] [--check] [--format xml|json] [--workflow-url <URL>]';
// CI documents a 100-character limit on a queue's callback Url.
const CI_URL_LIMIT = 100;

class UsageError extends Error {}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'workflow-url': { type: 'string' },
      apply: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const url = callbackUrl(values.url, '--url');
  const workflowUrl = values['workflow-url'] === undefined ? url : callbackUrl(values['workflow-url'], '--workflow-url');
  const format = parseFormat(values.format);
  for (const u of new Set([url, workflowUrl])) {
    if (u.length > CI_URL_LIMIT) console.log(`warning: ${maskToken(u)} is ${u.length} characters; CI documents a limit of ${CI_URL_LIMIT}`);
  }

  if (values.check) {
    const answers = [...(await checkUrl(url, checkRequests(format))), ...(workflowUrl === url ? [] : await checkUrl(workflowUrl, checkRequests(format).slice(0, 1)))];
    for (const answer of answers) console.log(`${answer.ok ? 'ok  ' : 'FAIL'} ${answer.name.padEnd(40)} ${answer.line}`);
    if (answers.some((a) => !a.ok)) {
      console.log(`check failed: CI's console would not accept ${maskToken(url)}${values.apply ? '; nothing applied' : ''}`);
      return 1;
    }
    console.log(`check passed: ${maskToken(url)} answers 200`);
    if (!values.apply) return 0;
  }

  const target = loadCiTarget(process.env);
  const client = new CiAdminClient(target.endpoint, target.credentials);
  console.log(`${values.apply ? 'Setting' : 'Dry run: listing'} the callbacks of ${target.endpoint} → ${maskToken(url)}`);
  const result = await connect(client, { url, workflowUrl, format, apply: values.apply }, (line) => console.log(line));
  if (values.apply) {
    console.log(`${result.changed} changed, ${result.alreadySet} already set, ${result.failed} failed`);
  } else {
    const next = result.toChange > 0 ? '; run again with --apply to change them' : '';
    console.log(`${result.toChange} to change, ${result.alreadySet} already set${result.failed ? `, ${result.failed} failed` : ''}: nothing changed (dry run)${next}`);
  }
  return result.failed > 0 ? 1 : 0;
}

function callbackUrl(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`${flag} is not a URL: "${value}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UsageError(`${flag} must be an http(s) URL`);
  return value;
}

function parseFormat(value: string | undefined): ResultFormat | undefined {
  if (value === undefined) return undefined;
  if (value === 'xml' || value === 'json') return value.toUpperCase() as ResultFormat;
  throw new UsageError(`--format must be xml or json, got "${value}"`);
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    if (err instanceof UsageError || err instanceof TargetError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : err.message);
      process.exit(2);
    }
    console.error(err.message);
    process.exit(1);
  },
);
