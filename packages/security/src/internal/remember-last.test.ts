import { describe, expect, it } from 'vitest';
import { rememberLast } from './remember-last.ts';

describe('rememberLast', () => {
  it('recomputes only when the text changes, and never answers for another text', () => {
    const calls: string[] = [];
    const upper = rememberLast((text: string) => {
      calls.push(text);
      return text === 'none' ? undefined : text.toUpperCase();
    });
    expect(['a', 'a', 'b', 'a', 'none', 'none', 'a'].map(upper)).toEqual([
      'A',
      'A',
      'B',
      'A',
      undefined,
      undefined,
      'A',
    ]);
    expect(calls).toEqual(['a', 'b', 'a', 'none', 'a']);
  });
});
