// Child process, started once per run and pinned to the load core by its parent: reads one batch of jobs per stdin
// line (closed-loop runs with autocannon, fixed-rate floods with the paced generator), runs the batch concurrently,
// and answers one line `RESULT <id> <json>` with a LoadResult per job (or `FAILED <id> <message>`).
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { floodAddress } from './flood-requests.ts';
import { pacedFlood } from './paced-flood.ts';
import type { FloodSpec, LoadResult, LoadSpec } from './types.ts';

/** A job for this process. */
export type LoadJob =
  | { readonly kind: 'closed'; readonly spec: LoadSpec }
  | { readonly kind: 'flood'; readonly spec: FloodSpec };

function summarise(result: autocannon.Result): LoadResult {
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  return {
    generator: 'autocannon',
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses,
  };
}

function closed(spec: LoadSpec): Promise<autocannon.Result> {
  let n = Math.floor(Math.random() * 0xfffff);
  return autocannon({
    ...(spec.rotateForwardedFor
      ? {
          requests: [
            {
              setupRequest(request) {
                n++;
                return { ...request, headers: { ...request.headers, 'x-forwarded-for': floodAddress(n) } };
              },
            },
          ],
        }
      : {}),
    url: spec.url,
    method: spec.method ?? 'GET',
    connections: spec.connections,
    duration: spec.durationSec,
    timeout: 5,
    ...(spec.headers ? { headers: { ...spec.headers } } : {}),
    ...(spec.body !== undefined ? { body: spec.body } : {}),
  });
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { id, jobs } = JSON.parse(line) as { id: number; jobs: LoadJob[] };
  try {
    const results = await Promise.all(
      jobs.map((job) => (job.kind === 'closed' ? closed(job.spec).then(summarise) : pacedFlood(job.spec))),
    );
    process.stdout.write(`RESULT ${id} ${JSON.stringify(results)}\n`);
  } catch (error) {
    process.stdout.write(`FAILED ${id} ${String((error as Error).message).replace(/\n/g, ' ')}\n`);
  }
}
