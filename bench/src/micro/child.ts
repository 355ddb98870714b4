// Child process of the micro scenario (pinned to the server core, started with --expose-gc): runs the named cases
// one after another and prints one line `CASE <json>` per case.
import type { Summary } from '../lib/stats.ts';
import { type MicroCase, SECURITY_CASES, storeCases } from './cases.ts';
import { KEY_CASES } from './key-cases.ts';
import { measure, measureSlow } from './measure.ts';
import { REQUEST_CASES } from './request-cases.ts';
import { SLOW_CASES } from './slow-cases.ts';

/** What the child reports for one case. */
export interface CaseReport {
  readonly id: string;
  readonly group: string;
  readonly label: string;
  readonly ns?: Summary;
  readonly unavailable?: string;
  readonly notes?: readonly string[];
  readonly extra?: Readonly<Record<string, string>>;
}

const { ids, samples, sampleMs, storeSizes } = JSON.parse(process.argv[2] ?? '{}') as {
  ids: string[];
  samples: number;
  sampleMs: number;
  storeSizes: number[];
};
const all: MicroCase[] = [...SECURITY_CASES, ...KEY_CASES, ...SLOW_CASES, ...REQUEST_CASES, ...storeCases(storeSizes)];
for (const id of ids) {
  const c = all.find((x) => x.id === id);
  if (!c) throw new Error(`unknown micro case ${id}`);
  let report: CaseReport;
  try {
    const prepared = await c.prepare();
    if (typeof prepared === 'string') {
      report = { id, group: c.group, label: c.label, unavailable: prepared };
    } else {
      const ns = prepared.slow
        ? await measureSlow(prepared.op, Math.min(samples, 7))
        : await measure(prepared.op, { samples, sampleMs });
      await prepared.dispose?.();
      report = {
        id,
        group: c.group,
        label: c.label,
        ns,
        ...(prepared.notes ? { notes: prepared.notes } : {}),
        ...(prepared.extra ? { extra: prepared.extra } : {}),
      };
    }
  } catch (error) {
    report = { id, group: c.group, label: c.label, unavailable: `failed: ${(error as Error).message.split('\n')[0]}` };
  }
  process.stdout.write(`CASE ${JSON.stringify(report)}\n`);
}
