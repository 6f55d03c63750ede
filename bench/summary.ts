/**
 * The one table `npm run bench` prints, and bench/results.json: each figure,
 * the raw storage call it is measured against (when there is one), the ratio,
 * the goal from issue 13, and whether this run met it.
 */
export interface Goal {
  /** What the goal bounds: the ratio to the baseline, or the figure itself. */
  of: 'ratio' | 'value';
  atMost?: number;
  atLeast?: number;
}

export interface SummaryRow {
  /** Stable key in results.json. */
  id: string;
  what: string;
  value: number;
  unit: string;
  baseline?: { what: string; value: number };
  ratio?: number;
  goal?: Goal;
  met?: boolean;
}

const within = (measured: number, goal: Goal): boolean =>
  (goal.atMost === undefined || measured <= goal.atMost) && (goal.atLeast === undefined || measured >= goal.atLeast);

/** A figure set against its raw baseline (same unit); the goal, if any, bounds the ratio. */
export function ratioRow(
  id: string,
  what: string,
  unit: string,
  value: number,
  baseline: { what: string; value: number },
  goal?: Omit<Goal, 'of'>,
): SummaryRow {
  const ratio = value / baseline.value;
  const full: Goal | undefined = goal && { of: 'ratio', ...goal };
  return { id, what, value, unit, baseline, ratio, ...(full ? { goal: full, met: within(ratio, full) } : {}) };
}

/** A figure whose goal bounds the figure itself; a baseline, if any, is shown for scale. */
export function valueRow(
  id: string,
  what: string,
  unit: string,
  value: number,
  goal?: Omit<Goal, 'of'>,
  baseline?: { what: string; value: number },
): SummaryRow {
  const full: Goal | undefined = goal && { of: 'value', ...goal };
  return { id, what, value, unit, ...(baseline ? { baseline, ratio: value / baseline.value } : {}), ...(full ? { goal: full, met: within(value, full) } : {}) };
}

const number = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

function goalText(goal: Goal | undefined, unit: string): string {
  if (!goal) return '—';
  const suffix = goal.of === 'ratio' ? '×' : ` ${unit}`;
  return [goal.atMost !== undefined && `≤ ${goal.atMost}${suffix}`, goal.atLeast !== undefined && `≥ ${goal.atLeast}${suffix}`].filter(Boolean).join(', ');
}

export function summaryTable(rows: readonly SummaryRow[]): string {
  const header = ['what', 'API', 'raw baseline', 'ratio', 'goal', 'met'];
  const lines = rows.map((row) => [
    row.what,
    `${number(row.value)} ${row.unit}`,
    row.baseline ? `${number(row.baseline.value)} ${row.unit} (${row.baseline.what})` : '—',
    row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`,
    goalText(row.goal, row.unit),
    row.met === undefined ? '' : row.met ? 'yes' : '**no**',
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
