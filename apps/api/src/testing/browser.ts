/** An app the {@link Browser} can drive (a Hono app's `request`). */
export interface RequestTarget {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/**
 * A minimal browser for in-process tests: a cookie jar (honouring `Max-Age=0` and cookie paths), the CSRF token of the
 * last page, same-origin form posts with `Origin`. It does not follow redirects, so tests see each hop.
 */
export class Browser {
  /** name → value and the path the cookie was set for. */
  readonly jar = new Map<string, { value: string; path: string }>();
  token = '';
  constructor(
    private readonly target: RequestTarget,
    readonly origin = 'http://localhost',
  ) {}

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const path = attrs.map((a) => /^\s*path=(.*)$/i.exec(a)?.[1]?.trim()).find(Boolean) ?? '/';
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.jar.delete(name);
      else this.jar.set(name, { value, path });
    }
    return res;
  }

  private headers(path: string, extra: Record<string, string> = {}): Headers {
    const h = new Headers(extra);
    const pathname = new URL(path, this.origin).pathname;
    const sent = [...this.jar].filter(
      ([, c]) => c.path === '/' || pathname === c.path || pathname.startsWith(`${c.path}/`),
    );
    if (sent.length) h.set('cookie', sent.map(([k, c]) => `${k}=${c.value}`).join('; '));
    return h;
  }

  /** The value of the first cookie whose name ends with `suffix`. */
  cookie(suffix: string): string | undefined {
    return [...this.jar].find(([k]) => k.endsWith(suffix))?.[1].value;
  }

  async get(path: string): Promise<{ res: Response; html: string }> {
    const res = this.keep(await this.target.request(`${this.origin}${path}`, { headers: this.headers(path) }));
    const html = await res.text();
    const token = /name="csrf-token" content="([\w-]+)"/.exec(html)?.[1];
    if (token) this.token = token;
    return { res, html };
  }

  async post(path: string, fields: Record<string, string>, token = this.token): Promise<Response> {
    const body = new URLSearchParams({ ...fields, csrfmiddlewaretoken: token });
    return this.keep(
      await this.target.request(`${this.origin}${path}`, {
        method: 'POST',
        body,
        headers: this.headers(path, { origin: this.origin, 'content-type': 'application/x-www-form-urlencoded' }),
      }),
    );
  }

  /** Opens the sign-in page and posts the form. */
  async login(email: string, password: string): Promise<Response> {
    await this.get('/');
    return this.post('/login', { email, password });
  }
}
