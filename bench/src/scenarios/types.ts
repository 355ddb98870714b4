import type { ScenarioResult } from '../report/model.ts';
import type { Settings } from '../settings.ts';

/** What a scenario gets to run with. */
export interface ScenarioContext {
  readonly settings: Settings;
  readonly log: (line: string) => void;
}

/** A runnable scenario (`npm run bench -- <id>`). */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  run(context: ScenarioContext): Promise<Omit<ScenarioResult, 'measuredAt' | 'mode' | 'wallSeconds'>>;
}
