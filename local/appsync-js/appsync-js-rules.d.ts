import type { Linter } from 'eslint';

type RuleSet = Required<Pick<Linter.Config, 'plugins' | 'rules'>>;

export function allRules(): Promise<RuleSet>;
