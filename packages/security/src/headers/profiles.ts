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
