import type { Summary } from './stats';

/** A budget on one statistic of a figure: distributions are judged on their p95, so 1 turn in 20 may miss. */
export interface Budget {
  on: 'p95' | 'max' | 'value';
  atMost: number;
}

export interface Figure {
  id: string;
  /** Which case of the figure (warm/cold, delivery, idle/conversation…), if it has several. */
  case?: string;
  unit: string;
  parley: Summary | number;
  /** The same figure with the reference console's parameters applied to Parley's pipeline. */
  reference?: Summary | number;
  budget?: Budget;
  note?: string;
}

export interface JudgedFigure extends Figure {
  status: 'pass' | 'miss' | 'report';
  /** Reference / Parley, per statistic. */
  ratio?: { p50: number; p95: number } | number;
}

const statistic = (value: Summary | number, on: Budget['on']): number =>
  typeof value === 'number' ? value : on === 'value' ? value.p95 : value[on];

export function judge(figure: Figure): JudgedFigure {
  const status = figure.budget
    ? statistic(figure.parley, figure.budget.on) <= figure.budget.atMost
      ? 'pass'
      : 'miss'
    : 'report';
  return {
    ...figure,
    status,
    ...(figure.reference === undefined ? {} : { ratio: ratio(figure.parley, figure.reference) }),
  };
}

function ratio(parley: Summary | number, reference: Summary | number): JudgedFigure['ratio'] {
  if (typeof parley === 'number' || typeof reference === 'number') {
    return (reference as number) / (parley as number);
  }
  return { p50: reference.p50 / parley.p50, p95: reference.p95 / parley.p95 };
}

const number = (value: number) =>
  !Number.isFinite(value)
    ? Number.isNaN(value)
      ? '—'
      : '∞'
    : Math.abs(value) >= 100
      ? value.toFixed(0)
      : value.toFixed(1);

const cells = (value: Summary | number | undefined): string[] =>
  value === undefined
    ? ['', '', '', '']
    : typeof value === 'number'
      ? ['', number(value), '', '']
      : [String(value.n), number(value.p50), number(value.p95), number(value.max)];

const ratioCells = (value: JudgedFigure['ratio']): string[] =>
  value === undefined
    ? ['', '']
    : typeof value === 'number'
      ? [number(value), '']
      : [number(value.p50), number(value.p95)];

const budgetText = (budget: Budget | undefined): string =>
  budget ? `${budget.on === 'value' ? '' : `${budget.on} `}≤ ${budget.atMost}` : 'report';

/** The results as a Markdown table: Parley, its budget, the reference run and the ratio. */
export function markdownTable(figures: readonly JudgedFigure[]): string {
  const header = [
    'figure',
    'case',
    'n',
    'p50',
    'p95',
    'max',
    'budget',
    'status',
    'ref n',
    'ref p50',
    'ref p95',
    'ref max',
    'ratio p50',
    'ratio p95',
  ];
  const rows = figures.map((figure) => [
    `${figure.id}${figure.unit === 'ms' || figure.id.endsWith(figure.unit) ? '' : ` (${figure.unit})`}`,
    figure.case ?? '',
    ...cells(figure.parley),
    budgetText(figure.budget),
    figure.status === 'miss' ? '**miss**' : figure.status,
    ...cells(figure.reference),
    ...ratioCells(figure.ratio),
  ]);
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
