/** `Permissions-Policy` that turns off powerful features nobody on an API platform needs. */
export const DEFAULT_PERMISSIONS_POLICY =
  'accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()';

/** Headers every response carries, whatever its type (SPEC §7). Lower-case names. */
export function commonHeaders(options: {
  readonly referrerPolicy: string;
  readonly permissionsPolicy: string;
  readonly crossOriginResourcePolicy: string;
}): Record<string, string> {
  return {
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': options.referrerPolicy,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': options.crossOriginResourcePolicy,
    'permissions-policy': options.permissionsPolicy,
    'x-dns-prefetch-control': 'off',
    'x-permitted-cross-domain-policies': 'none',
  };
}

/** The names {@link commonHeaders} returns, in order: the literals of {@link jsonHeaderBuilder} spell them out. */
const COMMON_NAMES: readonly string[] = [
  'x-frame-options',
  'x-content-type-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'permissions-policy',
  'x-dns-prefetch-control',
  'x-permitted-cross-domain-policies',
];

/** The CSP header a policy is sent in: enforced, or reported only. */
export type CspHeaderName = 'content-security-policy' | 'content-security-policy-report-only';

/**
 * Builds the headers of one JSON-family response (content type, the common headers, the API CSP, `no-store`) as an
 * object literal of a fixed shape. `Object.assign` of the same 12 headers onto `{}` made a slow-mode object here:
 * building it and Node enumerating it cost about 260 ns against about 80 ns for the literal (measured). Same names,
 * values and order as `{ 'content-type': type, ...common, [cspHeader]: csp, 'cache-control': 'no-store' }`.
 */
export function jsonHeaderBuilder(
  common: Readonly<Record<string, string>>,
  cspHeader: CspHeaderName,
  csp: string,
): (contentType: string) => Record<string, string> {
  const names = Object.keys(common);
  if (names.length !== COMMON_NAMES.length || names.some((name, i) => name !== COMMON_NAMES[i])) {
    // Not the common headers the literals below spell out: build the same object the general way.
    return (contentType) =>
      Object.assign({ 'content-type': contentType }, common, { [cspHeader]: csp, 'cache-control': 'no-store' });
  }
  const frame = common['x-frame-options'] as string;
  const nosniff = common['x-content-type-options'] as string;
  const referrer = common['referrer-policy'] as string;
  const opener = common['cross-origin-opener-policy'] as string;
  const resource = common['cross-origin-resource-policy'] as string;
  const permissions = common['permissions-policy'] as string;
  const prefetch = common['x-dns-prefetch-control'] as string;
  const crossDomain = common['x-permitted-cross-domain-policies'] as string;
  // One computed key (the CSP header's name) keeps the shape fixed too: it is the same name on every call.
  return (contentType) => ({
    'content-type': contentType,
    'x-frame-options': frame,
    'x-content-type-options': nosniff,
    'referrer-policy': referrer,
    'cross-origin-opener-policy': opener,
    'cross-origin-resource-policy': resource,
    'permissions-policy': permissions,
    'x-dns-prefetch-control': prefetch,
    'x-permitted-cross-domain-policies': crossDomain,
    [cspHeader]: csp,
    'cache-control': 'no-store',
  });
}
