import { attackScenario } from './attack.ts';
import { ladderScenario } from './ladder.ts';
import { microScenario } from './micro.ts';
import { peersScenario } from './peers.ts';
import { runtimesScenario } from './runtimes.ts';
import type { Scenario } from './types.ts';

/** Every scenario, in the order of RESULTS.md. */
export const SCENARIOS: readonly Scenario[] = [
  peersScenario,
  ladderScenario,
  runtimesScenario,
  attackScenario,
  microScenario,
];
