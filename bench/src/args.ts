// Command line of `npm run bench -- [options] [scenario…]`.

/** Parsed options. */
export interface Args {
  readonly quick: boolean;
  readonly list: boolean;
  readonly help: boolean;
  readonly build: boolean;
  readonly generator: 'auto' | 'autocannon';
  readonly scenarios: readonly string[];
  readonly rounds?: number;
  readonly duration?: number;
}

/** The usage text. */
export const USAGE = `Usage: npm run bench -- [options] [scenario ...]

Runs every scenario (or the named ones) and regenerates bench/RESULTS.md.

Options:
  --quick               short rounds (under 2 minutes in all); writes bench/results/raw/quick/ only
  --list                list the scenarios and exit
  --rounds N            interleaved rounds per measurement (default 3, quick 1)
  --duration S          seconds of load per measurement (default 3, quick 1)
  --generator autocannon  use autocannon even where wrk is installed
  --no-build            do not build the workspace packages first
  -h, --help            this text`;

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} takes a positive whole number, got ${value ?? 'nothing'}`);
  return n;
}

/** Parses argv (without node and script); throws with a clear message on anything unknown. */
export function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let list = false;
  let help = false;
  let build = true;
  let generator: Args['generator'] = 'auto';
  let rounds: number | undefined;
  let duration: number | undefined;
  const scenarios: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--':
        break;
      case '--quick':
        quick = true;
        break;
      case '--list':
        list = true;
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      case '--no-build':
        build = false;
        break;
      case '--rounds':
        rounds = positive(arg, argv[++i]);
        break;
      case '--duration':
        duration = positive(arg, argv[++i]);
        break;
      case '--generator': {
        const value = argv[++i];
        if (value !== 'autocannon' && value !== 'auto') throw new Error('--generator takes autocannon or auto');
        generator = value;
        break;
      }
      default:
        if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n\n${USAGE}`);
        scenarios.push(arg);
    }
  }
  return {
    quick,
    list,
    help,
    build,
    generator,
    scenarios,
    ...(rounds !== undefined ? { rounds } : {}),
    ...(duration !== undefined ? { duration } : {}),
  };
}
