import fc from 'fast-check';
import { Hono } from 'hono';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import {
  clientIdentity,
  identifyRequest,
  identityOf,
  requestIdentifier,
  resolveClientIdentityOptions,
  resolveTrust,
} from './client-identity.ts';
import { parseForwarded } from './forwarded.ts';
import { parseHostHeader } from './host-header.ts';
import { canonicalIp, clientKeyOf, compileIpMatcher } from './ip.ts';
import { resolveClient } from './resolve.ts';
import type { ClientIdentity, IdentityVariables } from './types.ts';

describe('canonicalIp', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:a00:1', '10.0.0.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each([
    '',
    'localhost',
    '127.1',
    '0x7f.0.0.1',
    '010.0.0.1',
    '1.2.3.4:80',
    '1.2.3.256',
    'unknown',
    '_hidden',
    '::g',
  ])('rejects %j', (input) => {
    expect(canonicalIp(input)).toBeUndefined();
  });
});

describe('clientKeyOf', () => {
  it('keys IPv4 by /32 and IPv6 by /64', () => {
    expect(clientKeyOf('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKeyOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientKeyOf('2001:db8:1:2:ffff::1')).toBe(clientKeyOf('2001:db8:1:2::9'));
    expect(clientKeyOf('2001:db8:1:3::1')).not.toBe(clientKeyOf('2001:db8:1:2::1'));
  });
});

describe('compileIpMatcher', () => {
  it('matches v4, v6 and mapped ranges and nothing else', () => {
    const m = compileIpMatcher(['10.0.0.0/8', '2001:db8::/32', '192.0.2.7']);
    expect(m('10.1.2.3')).toBe(true);
    expect(m('11.0.0.1')).toBe(false);
    expect(m('2001:db8:ffff::1')).toBe(true);
    expect(m('2001:db9::1')).toBe(false);
    expect(m('192.0.2.7')).toBe(true);
    expect(m('192.0.2.8')).toBe(false);
    expect(m('unknown')).toBe(false);
    expect(compileIpMatcher(['::ffff:10.0.0.0/104'])('10.9.9.9')).toBe(true);
  });

  it('agrees with ipaddr.js on every IPv4 address and range, edges included (/0, /1, /31, /32)', () => {
    const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
    fc.assert(
      fc.property(octets, fc.integer({ min: 1, max: 32 }), octets, (network, bits, ip) => {
        const range = ipaddr.parseCIDR(`${network}/${bits}`);
        expect(compileIpMatcher([`${network}/${bits}`])(ip)).toBe(ipaddr.IPv4.parse(ip).match(range));
      }),
      { numRuns: 2000 },
    );
    expect(compileIpMatcher(['255.255.255.255/32'])('255.255.255.255')).toBe(true);
    expect(compileIpMatcher(['128.0.0.0/1'])('200.1.1.1')).toBe(true);
    expect(compileIpMatcher(['128.0.0.0/1'])('127.255.255.255')).toBe(false);
    expect(compileIpMatcher(['10.0.0.1'])('010.0.0.1')).toBe(false);
  });

  it('throws on an invalid CIDR', () => {
    expect(() => compileIpMatcher(['10.0.0.0/33'])).toThrow();
    expect(() => compileIpMatcher(['nope'])).toThrow();
  });
});

describe('parseForwarded', () => {
  it('parses quoted, bracketed and several elements; malformed elements become empty', () => {
    expect(parseForwarded('for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"')).toEqual([
      { for: '192.0.2.60', proto: 'http' },
      { for: '[2001:db8:cafe::17]:4711' },
    ]);
    expect(parseForwarded('for=1.2.3.4;for=5.6.7.8, garbage')).toEqual([{}, {}]);
    expect(parseForwarded('For="1.2.3.4";Host="a.example, b"')).toEqual([{ for: '1.2.3.4', host: 'a.example, b' }]);
  });

  it('keeps escaped quotes inside a quoted value and still splits the elements after it', () => {
    expect(parseForwarded('host="a\\"b, c";for=1.2.3.4, for="[2001:db8::1]:80"')).toEqual([
      { host: 'a"b, c', for: '1.2.3.4' },
      { for: '[2001:db8::1]:80' },
    ]);
  });

  it("cannot be made to swallow a proxy's quoted element with a quote the client left open", () => {
    // The client sends the part before the comma; its proxy appends the quoted element after it.
    const proxied = ', for="203.0.113.7:4711";proto=http';
    expect(parseForwarded(`for=9.9.9.9;by="${proxied}`)).toEqual([{}, { for: '203.0.113.7:4711', proto: 'http' }]);
    expect(parseForwarded(`for="${proxied}`)).toEqual([{}, { for: '203.0.113.7:4711', proto: 'http' }]);
    expect(parseForwarded(`for=9.9.9.9;host="x, y${proxied}`)).toEqual([
      {},
      {},
      { for: '203.0.113.7:4711', proto: 'http' },
    ]);
  });
});

describe('parseHostHeader', () => {
  it('accepts names, IPv4 and IPv6 literals with ports, lower-cased, trailing dot dropped', () => {
    expect(parseHostHeader('API.Example.com.:8443')).toEqual({ host: 'api.example.com', port: '8443' });
    expect(parseHostHeader('127.0.0.1:80')).toEqual({ host: '127.0.0.1', port: '80' });
    expect(parseHostHeader('[::1]:8080')).toEqual({ host: '[::1]', port: '8080' });
    expect(parseHostHeader('localhost')).toEqual({ host: 'localhost', port: undefined });
  });

  it.each(['', 'a.com, b.com', 'user@a.com', 'a.com/x', 'a.com:0', 'a.com:70000', 'a..com', '-a.com', '[::1', 'a com'])(
    'rejects %j',
    (v) => {
      expect(parseHostHeader(v)).toBeUndefined();
    },
  );
});

const facts = (peer: string | undefined, headers: Record<string, string> = {}, host = 'app.example') => ({
  peer,
  urlScheme: 'http' as const,
  hostHeader: host,
  header: (name: string) => headers[name],
});

describe('resolveClient', () => {
  const trust = resolveTrust(['10.0.0.0/8']);

  it('ignores every forwarding header from an untrusted peer', () => {
    const id = resolveClient(
      facts('198.51.100.7', {
        'x-forwarded-for': '1.1.1.1',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
      }),
      trust,
      'x-forwarded-for',
    );
    expect(id).toEqual({
      ip: '198.51.100.7',
      key: '198.51.100.7',
      peer: '198.51.100.7',
      forwarded: false,
      scheme: 'http',
      host: 'app.example',
      port: undefined,
    } satisfies ClientIdentity);
  });

  it('walks X-Forwarded-For right to left past trusted hops: a forged left-most entry is ignored', () => {
    const id = resolveClient(
      facts('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 203.0.113.5, 10.0.0.9', 'x-forwarded-proto': 'http, https' }),
      trust,
      'x-forwarded-for',
    );
    expect(id.ip).toBe('203.0.113.5');
    expect(id.forwarded).toBe(true);
    expect(id.peer).toBe('10.0.0.2');
    expect(id.scheme).toBe('https');
  });

  it('uses the left-most entry when every hop is trusted, and the trusted hop when the next entry is garbage', () => {
    expect(resolveClient(facts('10.0.0.2', { 'x-forwarded-for': '10.1.1.1' }), trust, 'x-forwarded-for').ip).toBe(
      '10.1.1.1',
    );
    expect(
      resolveClient(facts('10.0.0.2', { 'x-forwarded-for': 'garbage, 10.1.1.1' }), trust, 'x-forwarded-for').ip,
    ).toBe('10.1.1.1');
  });

  it('counts hops: with 1 hop the right-most entry is the client', () => {
    const hops = resolveTrust(1);
    const id = resolveClient(
      facts('192.0.2.1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.5' }),
      hops,
      'x-forwarded-for',
    );
    expect(id.ip).toBe('203.0.113.5');
  });

  it('reads RFC 7239 Forwarded, with proto and host from the client hop only', () => {
    const id = resolveClient(
      facts('10.0.0.2', {
        forwarded: 'for=6.6.6.6;host=evil.example, for="[2001:db8:1:2::7]:4711";proto=https;host=Agent.Example',
        'x-forwarded-for': '9.9.9.9',
      }),
      trust,
      'forwarded',
    );
    expect(id.ip).toBe('2001:db8:1:2::7');
    expect(id.key).toBe('2001:db8:1:2::/64');
    expect(id.scheme).toBe('https');
    expect(id.host).toBe('agent.example');
  });

  it('takes the address, scheme and host its trusted proxy wrote, not those of a client element left unclosed', () => {
    for (const client of ['for=9.9.9.9;proto=https;host=agent.example;by="', 'for="']) {
      const id = resolveClient(
        facts('10.0.0.2', { forwarded: `${client}, for="203.0.113.7:4711";proto=http;host=api.example` }),
        trust,
        'forwarded',
      );
      expect(id).toMatchObject({ ip: '203.0.113.7', forwarded: true, scheme: 'http', host: 'api.example' });
    }
  });

  it('never has no IP: an unknown peer is the shared "unknown" key', () => {
    const id = resolveClient(facts(undefined, { 'x-forwarded-for': '1.2.3.4' }), trust, 'x-forwarded-for');
    expect(id.ip).toBe('unknown');
    expect(id.key).toBe('unknown');
  });
});

describe('resolveClientIdentityOptions', () => {
  it('defaults to trusting nobody', () => {
    expect(resolveClientIdentityOptions().trust).toEqual({ kind: 'none' });
  });

  it.each([
    [{ trustedProxie: ['loopback'] }, /unknown option "trustedProxie"/],
    [{ trustedProxies: ['cloudfare'] }, /unknown preset "cloudfare"/],
    [{ trustedProxies: ['0.0.0.0/0'] }, /forge/],
    [{ trustedProxies: ['10.0.0.0/40'] }, /invalid CIDR/],
    [{ trustedProxies: -1 }, /hop count/],
    [{ forwardingHeader: 'x-real-ip' }, /forwardingHeader/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveClientIdentityOptions(options as never)).toThrow(SmarterConfigError);
    expect(() => resolveClientIdentityOptions(options as never)).toThrow(message);
  });
});

describe('clientIdentity middleware', () => {
  it('exposes the identity as request variables from the injected peer address', async () => {
    const app = new Hono<{ Variables: IdentityVariables }>();
    app.use(clientIdentity({ trustedProxies: ['loopback'], peerAddress: () => '::ffff:127.0.0.1' }));
    app.get('/', (c) => c.json({ ip: c.get('clientIp'), key: c.get('clientKey'), scheme: c.get('clientScheme') }));
    const res = await app.request('http://app.example/', {
      headers: { 'x-forwarded-for': '2001:db8::5', 'x-forwarded-proto': 'https' },
    });
    expect(await res.json()).toEqual({ ip: '2001:db8::5', key: '2001:db8::/64', scheme: 'https' });
  });

  it('identityOf falls back to an untrusting identity when the middleware is absent', async () => {
    const app = new Hono();
    app.get('/', (c) => c.json(identityOf(c)));
    const res = await app.request('https://app.example/', { headers: { 'x-forwarded-for': '1.2.3.4' } });
    expect(await res.json()).toMatchObject({ ip: 'unknown', forwarded: false, scheme: 'https', host: 'app.example' });
  });
});

describe('hot-path shortcuts give the full parsers’ answers', () => {
  it('canonicalIp: any dotted-decimal IPv4, with or without leading zeros, matches ipaddr.js', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (b, pad) => {
          const text = b.map((n) => (pad && n < 100 ? `0${n}` : String(n))).join('.');
          const expected = ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text).toString() : undefined;
          expect(canonicalIp(text)).toBe(expected);
        },
      ),
    );
    expect(canonicalIp('256.1.1.1')).toBeUndefined();
    expect(canonicalIp('1.2.3')).toBeUndefined();
  });

  it('parseHostHeader: remembering the last host never returns another host’s answer', () => {
    expect(parseHostHeader('a.example:8443')).toEqual({ host: 'a.example', port: '8443' });
    expect(parseHostHeader('a.example:8443')).toEqual({ host: 'a.example', port: '8443' });
    expect(parseHostHeader('b.example')).toEqual({ host: 'b.example', port: undefined });
    expect(parseHostHeader('bad host')).toBeUndefined();
    expect(parseHostHeader('bad host')).toBeUndefined();
    expect(parseHostHeader('a.example:8443')).toEqual({ host: 'a.example', port: '8443' });
    expect(Object.isFrozen(parseHostHeader('a.example'))).toBe(true);
  });

  it('canonicalIp and a CIDR matcher: remembering the last address never answers for another one', () => {
    const matches = compileIpMatcher(['10.0.0.0/8', '2001:db8::/32']);
    const inputs = [
      '10.1.2.3',
      '10.1.2.3',
      '192.0.2.1',
      '::ffff:10.9.9.9',
      '2001:DB8::1',
      '2001:db8::1',
      'nope',
      '10.1.2.3',
    ];
    const canon = [
      '10.1.2.3',
      '10.1.2.3',
      '192.0.2.1',
      '10.9.9.9',
      '2001:db8::1',
      '2001:db8::1',
      undefined,
      '10.1.2.3',
    ];
    const inRange = [true, true, false, true, true, true, false, true];
    inputs.forEach((text, i) => {
      const ip = canonicalIp(text);
      expect(ip).toBe(canon[i]);
      expect(ip === undefined ? false : matches(ip)).toBe(inRange[i]);
    });
  });

  it('requestIdentifier: remembering the last identity never answers for a request that differs in any input', async () => {
    // Each request differs from the one before it in one input the identity depends on (peer, scheme, Host, chain,
    // proto, forwarded host), or repeats it exactly.
    const requests: { url: string; peer: string | undefined; headers: Record<string, string> }[] = [
      { url: 'http://a.example/', peer: '10.0.0.1', headers: { host: 'a.example' } },
      { url: 'http://a.example/', peer: '10.0.0.1', headers: { host: 'a.example' } },
      { url: 'http://a.example/', peer: '10.0.0.1', headers: { host: 'a.example', 'x-forwarded-for': '192.0.2.7' } },
      { url: 'http://a.example/', peer: '10.0.0.1', headers: { host: 'a.example', 'x-forwarded-for': '192.0.2.8' } },
      {
        url: 'http://a.example/',
        peer: '10.0.0.1',
        headers: { host: 'a.example', 'x-forwarded-for': '192.0.2.8', 'x-forwarded-proto': 'https' },
      },
      {
        url: 'http://a.example/',
        peer: '10.0.0.1',
        headers: {
          host: 'a.example',
          'x-forwarded-for': '192.0.2.8',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'b.example',
        },
      },
      { url: 'http://a.example/', peer: '203.0.113.9', headers: { host: 'a.example', 'x-forwarded-for': '192.0.2.8' } },
      { url: 'https://a.example/', peer: '203.0.113.9', headers: { host: 'a.example' } },
      { url: 'https://a.example/', peer: '203.0.113.9', headers: { host: 'c.example:8443' } },
      { url: 'https://a.example/', peer: undefined, headers: { host: 'c.example:8443' } },
      { url: 'http://a.example/', peer: '10.0.0.1', headers: { host: 'a.example' } },
    ];
    const options = resolveClientIdentityOptions({
      trustedProxies: ['10.0.0.0/8'],
      peerAddress: (c) => c.req.header('x-test-peer'),
    });
    const identify = requestIdentifier(options);
    const seen: ClientIdentity[] = [];
    const app = new Hono();
    app.get('/', (c) => {
      const identity = identify(c);
      expect(Object.isFrozen(identity)).toBe(true);
      expect(identity).toEqual(identifyRequest(c, options));
      seen.push(identity);
      return c.body(null, 204);
    });
    for (const r of requests) {
      const headers = new Headers(r.headers);
      if (r.peer !== undefined) headers.set('x-test-peer', r.peer);
      expect((await app.request(r.url, { headers })).status).toBe(204);
    }
    expect(seen.map((i) => `${i.ip} ${i.scheme} ${i.host}:${i.port}`)).toEqual([
      '10.0.0.1 http a.example:undefined',
      '10.0.0.1 http a.example:undefined',
      '192.0.2.7 http a.example:undefined',
      '192.0.2.8 http a.example:undefined',
      '192.0.2.8 https a.example:undefined',
      '192.0.2.8 https b.example:undefined',
      '203.0.113.9 http a.example:undefined',
      '203.0.113.9 https a.example:undefined',
      '203.0.113.9 https c.example:8443',
      'unknown https c.example:8443',
      '10.0.0.1 http a.example:undefined',
    ]);
    // A repeat is answered with the very same object.
    expect(seen[1]).toBe(seen[0]);
  });

  it('requestIdentifier: two clients whose requests interleave both keep their identity; a third evicts the older', async () => {
    const options = resolveClientIdentityOptions({ trustedProxies: ['10.0.0.0/8'], peerAddress: () => '10.0.0.1' });
    const identify = requestIdentifier(options);
    const seen: ClientIdentity[] = [];
    const app = new Hono();
    app.get('/', (c) => {
      const identity = identify(c);
      expect(identity).toEqual(identifyRequest(c, options));
      seen.push(identity);
      return c.body(null, 204);
    });
    const [a, b, third] = ['192.0.2.1', '198.51.100.2', '203.0.113.3'];
    const clients = [a, b, a, b, third, b, a] as string[];
    for (const client of clients) {
      const res = await app.request('http://a.example/', { headers: { host: 'a.example', 'x-forwarded-for': client } });
      expect(res.status).toBe(204);
    }
    expect(seen.map((i) => i.ip)).toEqual(clients);
    // Alternating clients are answered from memory: the very same objects.
    expect(seen[2]).toBe(seen[0]);
    expect(seen[3]).toBe(seen[1]);
    // After a third client, the more recent of the two is still remembered and the older one is resolved again.
    expect(seen[5]).toBe(seen[1]);
    expect(seen[6]).not.toBe(seen[0]);
  });
});
