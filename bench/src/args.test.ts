import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('bench arguments', () => {
  it('defaults to every scenario, full mode, building first', () => {
    expect(parseArgs([])).toEqual({
      quick: false,
      list: false,
      help: false,
      build: true,
      generator: 'auto',
      scenarios: [],
    });
  });

  it('reads options and scenario names, ignoring a bare --', () => {
    const args = parseArgs([
      '--',
      '--quick',
      'micro',
      '--rounds',
      '5',
      'attack',
      '--no-build',
      '--generator',
      'autocannon',
    ]);
    expect(args).toMatchObject({ quick: true, build: false, rounds: 5, generator: 'autocannon' });
    expect(args.scenarios).toEqual(['micro', 'attack']);
    expect(args).not.toHaveProperty('duration');
  });

  it('refuses unknown options and bad numbers with a message that says what to write', () => {
    expect(() => parseArgs(['--quik'])).toThrow(/unknown option --quik[\s\S]*Usage/);
    expect(() => parseArgs(['--rounds', '0'])).toThrow(/positive whole number/);
    expect(() => parseArgs(['--duration'])).toThrow(/got nothing/);
    expect(() => parseArgs(['--generator', 'ab'])).toThrow(/autocannon or auto/);
  });
});
