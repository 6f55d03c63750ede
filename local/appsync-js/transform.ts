/**
 * util.transform: filter objects → DynamoDB expressions and subscription
 * filters, with AppSync's naming (`#field`, `:field_eq`, `:and_0_field_eq`).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { toDynamoDB } from './dynamodb-values';

export interface DynamoDBExpression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
}

type FilterObject = Record<string, unknown>;

class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};

  name(field: string): string {
    const placeholder = `#${field}`;
    this.names[placeholder] = field;
    return placeholder;
  }

  value(path: string, field: string, operator: string, value: unknown): string {
    const placeholder = `:${path}${field}_${operator}`;
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  }

  /** One `(…) AND (…)` clause per field and per group operator of the object. */
  object(filter: FilterObject, path: string, joiner = ' AND '): string {
    return Object.entries(filter)
      .map(([key, condition]) => this.entry(key, condition, path))
      .join(joiner);
  }

  private entry(key: string, condition: unknown, path: string): string {
    if (key === 'and' || key === 'or') {
      // A member of several clauses is bracketed so AND/OR cannot regroup it.
      const members = (condition as FilterObject[]).map((member, i) => {
        const clause = this.object(member, `${path}${key}_${i}_`);
        return Object.keys(member).length > 1 ? `(${clause})` : clause;
      });
      return `(${members.join(key === 'and' ? ' AND ' : ' OR ')})`;
    }
    if (key === 'not') {
      return `(NOT ${this.object(condition as FilterObject, `${path}not_`)})`;
    }
    return Object.entries(condition as FilterObject)
      .map(([operator, operand]) => `(${this.comparison(key, operator, operand, path)})`)
      .join(' AND ');
  }

  private comparison(field: string, operator: string, operand: unknown, path: string): string {
    const name = this.name(field);
    const value = (op = operator, v = operand) => this.value(path, field, op, v);
    switch (operator) {
      case 'eq':
        return `${name} = ${value()}`;
      case 'ne':
        return `${name} <> ${value()}`;
      case 'le':
        return `${name} <= ${value()}`;
      case 'lt':
        return `${name} < ${value()}`;
      case 'ge':
        return `${name} >= ${value()}`;
      case 'gt':
        return `${name} > ${value()}`;
      case 'between': {
        const [start, end] = operand as [unknown, unknown];
        return `${name} BETWEEN ${value('between_start', start)} AND ${value('between_end', end)}`;
      }
      case 'beginsWith':
        return `begins_with(${name},${value()})`;
      case 'contains':
        return `contains(${name},${value()})`;
      case 'notContains':
        return `NOT contains(${name},${value()})`;
      case 'in': {
        const list = (operand as unknown[]).map((v, i) => value(`in_${i}`, v));
        return `${name} IN (${list.join(',')})`;
      }
      case 'attributeExists':
        return operand ? `attribute_exists(${name})` : `attribute_not_exists(${name})`;
      case 'attributeType':
        return `attribute_type(${name},${value()})`;
      case 'size': {
        const [[sizeOperator, sizeOperand]] = Object.entries(operand as FilterObject);
        return this.comparison(field, sizeOperator, sizeOperand, `${path}size_`).replace(name, `size(${name})`);
      }
      default:
        throw new TypeError(`Unsupported filter operator "${operator}" on field "${field}".`);
    }
  }

  build(expression: string): DynamoDBExpression {
    return {
      expression,
      ...(Object.keys(this.names).length ? { expressionNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { expressionValues: this.values } : {}),
    };
  }
}

export function toDynamoDBExpression(filter: FilterObject): DynamoDBExpression {
  const builder = new ExpressionBuilder();
  return builder.build(builder.object(filter, ''));
}

export interface SubscriptionFilterRule {
  fieldName: string;
  operator: string;
  value: unknown;
}
export interface SubscriptionFilter {
  filterGroup: { filters: SubscriptionFilterRule[] }[];
}

/**
 * Filter object → subscription filter: fields of one object are ANDed in a
 * group; `or` (and a second operator on one field) multiplies into groups,
 * which are ORed. `rules` (operators on fields, never ignored) are, as
 * @aws-appsync/utils documents them, included "in such a way that at least
 * one of the rules will be satisfied": each group is crossed with each rule.
 */
export function toSubscriptionFilter(filter: FilterObject, ignoredFields: string[] = [], rules: FilterObject = {}): SubscriptionFilter {
  const eachRule = Object.entries(rules ?? {}).flatMap(([fieldName, condition]) =>
    Object.entries(condition as FilterObject).map(([operator, value]) => [{ fieldName, operator, value }]),
  );
  const groups = cross(expandGroups(filter, ignoredFields ?? []), eachRule.length ? eachRule : [[]]);
  return { filterGroup: groups.filter((filters) => filters.length > 0).map((filters) => ({ filters })) };
}

function expandGroups(filter: FilterObject, ignoredFields: string[]): SubscriptionFilterRule[][] {
  let groups: SubscriptionFilterRule[][] = [[]];
  for (const [key, condition] of Object.entries(filter)) {
    if (ignoredFields.includes(key)) continue;
    let alternatives: SubscriptionFilterRule[][];
    if (key === 'or') {
      alternatives = (condition as FilterObject[]).flatMap((member) => expandGroups(member, ignoredFields));
    } else if (key === 'and') {
      alternatives = (condition as FilterObject[]).reduce<SubscriptionFilterRule[][]>((acc, member) => cross(acc, expandGroups(member, ignoredFields)), [[]]);
    } else {
      const rules = Object.entries(condition as FilterObject).map(([operator, value]) => ({ fieldName: key, operator, value }));
      alternatives = rules.length > 1 ? rules.map((rule) => [rule]) : [rules];
    }
    groups = cross(groups, alternatives);
  }
  return groups;
}

const cross = (left: SubscriptionFilterRule[][], right: SubscriptionFilterRule[][]): SubscriptionFilterRule[][] =>
  left.flatMap((l) => right.map((r) => [...l, ...r]));

export const transformUtil = {
  toDynamoDBFilterExpression: (filter: FilterObject): string => JSON.stringify(toDynamoDBExpression(filter)),
  toDynamoDBConditionExpression: (condition: FilterObject): string => JSON.stringify(toDynamoDBExpression(condition)),
  toSubscriptionFilter,
};
