import { describe, expect, it } from 'vitest';
import { renderResults, renderTable } from './markdown.ts';
import type { ScenarioResult } from './model.ts';

const machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 8,
  os: 'Debian',
  node: 'v20.0.0',
  loadAverage: [1, 2, 3],
  pinning: 'not pinned',
  loadGenerator: 'autocannon',
};

const scenario: ScenarioResult = {
  id: 'http-peers',
  title: 'Peers on Node',
  description: 'Four peers.',
  measuredAt: '2026-01-01T00:00:00Z',
  mode: 'full',
  wallSeconds: 61.2,
  tables: [{ title: 'Throughput', columns: ['Route', 'bare | Hono'], rows: [['GET', '1,000']] }],
  charts: [{ title: 'Throughput', unit: 'req/s', groups: [] }],
  targets: [
    { id: 'a', statement: 'preset ≥ 70% of bare Hono', measured: '0.81×', pass: true },
    { id: 'b', statement: 'key verification ≤ 5 µs', measured: 'not available yet', pass: null },
    { id: 'c', statement: 'flood p99 ≤ 1.5×', measured: '2.1×', pass: false },
  ],
  notes: ['Smarter preset: not available yet'],
};

describe('RESULTS.md', () => {
  it('escapes pipes in cells and right-aligns figure columns', () => {
    const md = renderTable({ title: 'T', columns: ['a', 'b'], rows: [['x|y', '2']] });
    expect(md).toContain('| x\\|y | 2 |');
    expect(md).toContain('| --- | ---: |');
  });

  it('states the shared machine, lists every target with its verdict, and links the charts', () => {
    const md = renderResults({ machine, generatedAt: 'now', scenarios: [scenario], command: 'npm run bench' });
    expect(md).toContain('shared 2-core machine');
    expect(md).toContain('| preset ≥ 70% of bare Hono | 0.81× | PASS |');
    expect(md).toContain('| key verification ≤ 5 µs | not available yet | N/A |');
    expect(md).toContain('| flood p99 ≤ 1.5× | 2.1× | MISS |');
    expect(md).toContain('![Throughput](results/http-peers-1.svg)');
    expect(md).toContain('- Smarter preset: not available yet');
    expect(md).not.toContain('(no scenario with targets ran)');
  });

  it('says so when no scenario had targets', () => {
    const md = renderResults({ machine, generatedAt: 'now', scenarios: [], command: 'x' });
    expect(md).toContain('(no scenario with targets ran)');
  });
});
