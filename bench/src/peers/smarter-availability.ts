// Whether the code the Smarter peers need has landed: checked by looking at the exports, never assumed.
import * as security from '@smarter/security';

/** `true` when `@smarter/security` exports the `smarter()` preset, else why not. */
export async function smarterPresetAvailability(): Promise<true | string> {
  const exports = security as Record<string, unknown>;
  if (typeof exports['smarter'] !== 'function') return 'not available yet: @smarter/security exports no smarter()';
  return true;
}

/** The guards of the Smarter ladder, in the preset's order, or why there is none yet. */
export function smarterLadderGuards(): readonly string[] | string {
  return 'not available yet: the ladder is wired once the guards are on main';
}
