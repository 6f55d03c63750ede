/**
 * Enhanced subscription filters (and invalidation filters, which share their
 * syntax) evaluated against an event or an invalidation payload: any group
 * may match; within a group, every rule must.
 */
import type { SubscriptionFilter, SubscriptionFilterRule } from '../appsync-js/transform';

/** Enhanced subscription filters: any group may match; within a group, every filter must. */
export function matchesFilter(filter: SubscriptionFilter | undefined, value: Record<string, unknown>): boolean {
  if (!filter?.filterGroup?.length) return true;
  return filter.filterGroup.some((group) => group.filters.every((rule) => ruleMatches(rule, value)));
}

function ruleMatches(rule: SubscriptionFilterRule, item: Record<string, unknown>): boolean {
  const actual = rule.fieldName.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], item);
  const expected = rule.value as never;
  switch (rule.operator) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'gt':
      return (actual as never) > expected;
    case 'ge':
      return (actual as never) >= expected;
    case 'lt':
      return (actual as never) < expected;
    case 'le':
      return (actual as never) <= expected;
    case 'in':
      return (expected as unknown[]).includes(actual);
    case 'notIn':
      return !(expected as unknown[]).includes(actual);
    case 'between':
      return (actual as never) >= (expected as never[])[0] && (actual as never) <= (expected as never[])[1];
    case 'contains':
      return Array.isArray(actual) || typeof actual === 'string' ? (actual as string).includes(expected) : false;
    case 'notContains':
      return Array.isArray(actual) || typeof actual === 'string' ? !(actual as string).includes(expected) : true;
    case 'containsAny':
      return Array.isArray(actual) && (expected as unknown[]).some((value) => actual.includes(value));
    case 'beginsWith':
      return typeof actual === 'string' && actual.startsWith(expected);
    default:
      return false;
  }
}
