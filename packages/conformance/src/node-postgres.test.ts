import { serviceUrl } from '@smarter/security/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformance } from './suite.ts';

// The same suites on Node against PostgreSQL, in a fresh database made for this run (parallel runs never collide).
const base = serviceUrl('DATABASE_URL', 'PostgreSQL');

if (base) {
  const name = `smarter_conf_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  const url = new URL(base);
  url.pathname = `/${name}`;
  beforeAll(async () => {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  conformance('node', { SMARTER_DATABASE_URL: url.toString() });
} else {
  describe('conformance on node with PostgreSQL', () => {
    it('runs only with DATABASE_URL (skipped loudly above)', () => {
      expect(base).toBeUndefined();
    });
  });
}
