import { describe, expect, it } from 'vitest';
import { formatRatio, formatSummary, median, ratio, summarize } from './stats.ts';

describe('stats', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('summarises finite values only and keeps min and max', () => {
    expect(summarize([3, Number.NaN, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(summarize([Number.NaN]).n).toBe(0);
  });

  it('refuses ratios it cannot compute', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(10, 0)).toBeNaN();
    expect(ratio(Number.NaN, 3)).toBeNaN();
  });

  it('formats a summary with its range, and nothing for no data', () => {
    expect(formatSummary({ median: 12345, min: 12000, max: 13000, n: 3 })).toBe('12,345 (12,000–13,000)');
    expect(formatSummary({ median: 5, min: 5, max: 5, n: 3 })).toBe('5.00');
    expect(formatSummary({ median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 })).toBe('—');
    expect(formatRatio(0.834)).toBe('0.83×');
    expect(formatRatio(Number.NaN)).toBe('—');
  });
});
