/**
 * Named proxy ranges accepted wherever CIDRs are (SPEC §1). Cloudflare's list is published at
 * https://www.cloudflare.com/ips/ and changes rarely; pass CIDRs yourself to pin a newer one.
 */
export const PROXY_PRESETS: Readonly<Record<string, readonly string[]>> = {
  /** The local machine: a reverse proxy on the same host. */
  loopback: ['127.0.0.0/8', '::1/128'],
  /** RFC 1918 / RFC 4193 private networks: a proxy inside the same private network or VPC. */
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  /** AWS Application Load Balancers forward from inside the VPC, so they are the VPC's private ranges. */
  'aws-alb': ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  /** Google Cloud external HTTP(S) load balancers and health checks. */
  'gcp-lb': ['35.191.0.0/16', '130.211.0.0/22'],
  /** Cloudflare's edge. */
  cloudflare: [
    '173.245.48.0/20',
    '103.21.244.0/22',
    '103.22.200.0/22',
    '103.31.4.0/22',
    '141.101.64.0/18',
    '108.162.192.0/18',
    '190.93.240.0/20',
    '188.114.96.0/20',
    '197.234.240.0/22',
    '198.41.128.0/17',
    '162.158.0.0/15',
    '104.16.0.0/13',
    '104.24.0.0/14',
    '172.64.0.0/13',
    '131.0.72.0/22',
    '2400:cb00::/32',
    '2606:4700::/32',
    '2803:f800::/32',
    '2405:b500::/32',
    '2405:8100::/32',
    '2a06:98c0::/29',
    '2c0f:f248::/32',
  ],
};

/** Names of {@link PROXY_PRESETS}. */
export type ProxyPresetName = 'loopback' | 'private' | 'aws-alb' | 'gcp-lb' | 'cloudflare';
