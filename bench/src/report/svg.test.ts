import { describe, expect, it } from 'vitest';
import { escapeXml, renderBarChart } from './svg.ts';

describe('SVG bar chart', () => {
  const chart = {
    title: 'Throughput <Node>',
    unit: 'req/s',
    groups: [
      {
        label: 'GET small JSON',
        bars: [
          { series: 'bare Hono', value: 40_000, min: 38_000, max: 41_000 },
          { series: 'Express & co', value: 8_000 },
        ],
      },
      { label: 'GET unknown', bars: [{ series: 'bare Hono', value: Number.NaN }] },
    ],
  };

  it('draws one bar per finite value, proportional to the largest, with a whisker for min–max', () => {
    const svg = renderBarChart(chart);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const left = /<rect x="(\d+)" y="\d+" width="[\d.]+" height="16"/.exec(svg)?.[1];
    const widths = [...svg.matchAll(new RegExp(`<rect x="${left}" y="\\d+" width="([\\d.]+)"`, 'g'))].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(2);
    expect(widths[0]! / widths[1]!).toBeCloseTo(5, 2);
    expect(svg.match(/<line /g)).toHaveLength(1);
    expect(svg).toContain('>40,000<');
    expect(svg).toContain('>n/a<');
  });

  it('clips long labels and can leave the legend out', () => {
    const svg = renderBarChart({
      title: 'T',
      unit: 'ns',
      legend: false,
      groups: [{ label: 'g', bars: [{ series: 'x'.repeat(200), value: 1 }] }],
    });
    expect(svg).toContain('…');
    expect(svg).not.toContain('x'.repeat(100));
    expect(svg.match(/width="12" height="12"/g)).toBeNull();
    expect(renderBarChart(chart).match(/width="12" height="12"/g)).toHaveLength(2);
  });

  it('escapes every label so no input can break the markup', () => {
    const svg = renderBarChart(chart);
    expect(svg).toContain('Throughput &#60;Node&#62;');
    expect(svg).toContain('Express &#38; co');
    expect(svg).not.toContain('<Node>');
    expect(escapeXml(`"'`)).toBe('&#34;&#39;');
  });
});
