import { JOURNAL_EVENT_TYPES } from '@smarter/security';
import type { AgentView, JournalEventView, KeyView, OAuthProviderView, PageContext } from './types.ts';

/** Sample data for previews and screenshot tests (never used by the server). */
export const SAMPLE_CONTEXT: PageContext = {
  nonce: 'sample-nonce',
  csrfToken: 'sample-csrf-token',
  staticUrl: '/static/',
  user: { email: 'ada@example.com', role: 'admin', accountName: 'Acme Research', accountNumber: '4821-0937-5561' },
};

export const SAMPLE_AGENTS: readonly AgentView[] = [
  {
    name: 'support-bot',
    description: 'Answers customer questions from the help center',
    hostname: 'support-bot.4821-0937-5561.api.example.com',
    deployed: true,
    provider: 'openai',
    model: 'gpt-4o-mini',
    requireKey: true,
    allowedOrigins: ['https://www.example.com', 'https://help.example.com'],
    createdAt: '2026-11-02T09:14:00Z',
  },
  {
    name: 'sales-assistant',
    description: 'Qualifies leads and books demos',
    hostname: 'sales-assistant.4821-0937-5561.api.example.com',
    deployed: true,
    provider: 'echo',
    model: 'echo-1',
    requireKey: false,
    allowedOrigins: [],
    createdAt: '2026-11-12T16:40:00Z',
  },
  {
    name: 'hr-handbook',
    description: '',
    hostname: 'hr-handbook.4821-0937-5561.api.example.com',
    deployed: false,
    provider: 'echo',
    model: 'echo-1',
    requireKey: true,
    allowedOrigins: [],
    createdAt: '2026-11-27T11:05:00Z',
  },
];

export const SAMPLE_KEYS: readonly KeyView[] = [
  {
    id: 'k_7Hq2',
    name: 'production-widget',
    lastFour: 'x9Qa',
    scopes: ['chat'],
    createdAt: '2026-11-02T09:20:00Z',
    expiresAt: '2027-11-02T09:20:00Z',
    lastUsedAt: '2026-11-29T02:58:00Z',
    active: true,
  },
  {
    id: 'k_P01z',
    name: 'ci-deploy',
    lastFour: '3kLm',
    scopes: ['agents:read', 'agents:write'],
    createdAt: '2026-11-10T08:00:00Z',
    expiresAt: '2027-02-08T08:00:00Z',
    lastUsedAt: null,
    active: true,
  },
  {
    id: 'k_old1',
    name: 'old-laptop',
    lastFour: 'T7w2',
    scopes: [],
    createdAt: '2026-06-01T08:00:00Z',
    expiresAt: '2027-06-01T08:00:00Z',
    lastUsedAt: '2026-09-14T17:31:00Z',
    active: false,
  },
];

export const SAMPLE_EVENTS: readonly JournalEventView[] = [
  {
    id: 'e1',
    time: '2026-11-29T03:01:12Z',
    type: 'key.created',
    severity: 'info',
    principal: 'user:ada',
    method: 'POST',
    path: '/api/v1/keys',
    status: 201,
  },
  {
    id: 'e2',
    time: '2026-11-29T02:59:40Z',
    type: 'path.sensitive',
    severity: 'warning',
    method: 'GET',
    path: '/.env',
    status: 403,
    reason: 'ENV_FILE',
  },
  { id: 'e3', time: '2026-11-29T02:59:41Z', type: 'scanner.banned', severity: 'error', reason: 'TOO_MANY_NOT_FOUND' },
  {
    id: 'e4',
    time: '2026-11-29T02:51:03Z',
    type: 'auth.failed',
    severity: 'notice',
    method: 'POST',
    path: '/api/v1/chat',
    status: 401,
    reason: 'KEY_REVOKED',
  },
  {
    id: 'e5',
    time: '2026-11-29T02:40:00Z',
    type: 'csrf.rejected',
    severity: 'warning',
    method: 'POST',
    path: '/logout',
    status: 403,
    reason: 'ORIGIN_MISMATCH',
  },
  { id: 'e6', time: '2026-11-29T02:00:00Z', type: 'config.loaded', severity: 'info', reason: 'START' },
];

export const SAMPLE_PROVIDERS: readonly OAuthProviderView[] = [
  { id: 'google', label: 'Continue with Google', href: '/auth/oauth/google' },
  { id: 'github', label: 'Continue with GitHub', href: '/auth/oauth/github' },
  { id: 'linkedin', label: 'Continue with LinkedIn', href: '/auth/oauth/linkedin' },
];

export const SAMPLE_EVENT_TYPES: readonly string[] = JOURNAL_EVENT_TYPES;
