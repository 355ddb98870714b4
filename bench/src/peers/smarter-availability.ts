// Whether the code the Smarter peers need has landed: checked by looking at the exports, never assumed.
import * as auth from '@smarter/auth';
import * as security from '@smarter/security';
import { SMARTER_GUARD_STEPS } from './fixtures/guard-steps.ts';
import { keyEnvAvailability } from './key-env.ts';

type Exports = Record<string, unknown>;

/** `true` when the preset, API-key auth and the SQLite repositories exist, else why not. */
export async function smarterPresetAvailability(): Promise<true | string> {
  if (typeof (security as Exports)['smarter'] !== 'function')
    return 'not available yet: @smarter/security exports no smarter()';
  if (typeof (auth as Exports)['apiKeyAuth'] !== 'function')
    return 'not available yet: @smarter/auth exports no apiKeyAuth()';
  return keyEnvAvailability();
}

/** Exports every ladder step needs besides the guard itself. */
const SUPPORT = ['memoryStore', 'createBanList', 'createJournal'];

/** The guards of the Smarter ladder, in the preset's order, or why there is none yet. */
export function smarterLadderGuards(): readonly string[] | string {
  const missing = [...SUPPORT, ...SMARTER_GUARD_STEPS].filter(
    (name) => typeof (security as Exports)[name] !== 'function',
  );
  return missing.length === 0
    ? SMARTER_GUARD_STEPS
    : `not available yet: @smarter/security exports no ${missing.join(', ')}`;
}

/** `true` when every ladder guard exists. */
export async function smarterLadderAvailability(): Promise<true | string> {
  const guards = smarterLadderGuards();
  return typeof guards === 'string' ? guards : true;
}
