/** Account numbers look like `1234-5678-9012` (SPEC §16). */
export const ACCOUNT_NUMBER_PATTERN: RegExp = /^\d{4}-\d{4}-\d{4}$/;

/** A random account number `####-####-####` (uniform digits by rejection sampling). */
export function generateAccountNumber(): string {
  const digits: number[] = [];
  while (digits.length < 12) {
    for (const b of crypto.getRandomValues(new Uint8Array(16))) {
      if (b < 250 && digits.length < 12) digits.push(b % 10);
    }
  }
  const s = digits.join('');
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}
