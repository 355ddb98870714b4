// What a scenario hands to the report: pre-formatted tables, charts, targets and notes, plus raw figures for JSON.
import type { BarChart } from './svg.ts';

/** A Markdown table. */
export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly caption?: string;
}

/** One target of the issue, checked against a figure measured in the same run. */
export interface TargetResult {
  readonly id: string;
  readonly statement: string;
  readonly measured: string;
  /** null when it could not be measured (code not landed, runtime missing). */
  readonly pass: boolean | null;
}

/** Everything one scenario produced. */
export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly measuredAt: string;
  readonly mode: 'full' | 'quick';
  readonly wallSeconds: number;
  readonly tables: readonly Table[];
  readonly charts: readonly BarChart[];
  readonly targets: readonly TargetResult[];
  readonly notes: readonly string[];
  readonly raw?: unknown;
}

/** PASS, MISS or N/A as printed in the console and in RESULTS.md. */
export function verdict(pass: boolean | null): 'PASS' | 'MISS' | 'N/A' {
  return pass === null ? 'N/A' : pass ? 'PASS' : 'MISS';
}
