import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../better-sqlite3/index.ts';
import { databaseJournalSink } from './database-sink.ts';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs');
const dir = mkdtempSync(join(tmpdir(), 'smarter-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer, waits for `minAcks` acknowledged writes, SIGKILLs it, and returns every acknowledged id. */
function killMidStream(file: string, minAcks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', tsx, '--conditions=@smarter/source', 'test/runners/journal-writer.ts', file],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const acked: string[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
      if (!killed && acked.length >= minAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited with ${code} before the kill:\n${stderr}`));
    });
  });
}

describe('journal durability', () => {
  it('keeps every acknowledged write, in a verifying chain, after a SIGKILL mid-stream', async () => {
    const file = join(dir, 'journal.sqlite3');
    const acked = await killMidStream(file, 400);
    expect(acked.length).toBeGreaterThanOrEqual(400);

    const db = openBetterSqlite(file);
    try {
      const sink = databaseJournalSink(db);
      const report = await sink.verify();
      expect(report).toMatchObject({ ok: true });
      const stored = new Set((await sink.list({ limit: 10_000 })).map((row) => row.id));
      expect(stored.size).toBeGreaterThanOrEqual(acked.length);
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
      // The chain goes on from where the killed writer stopped.
      await sink.write({
        id: crypto.randomUUID(),
        time: new Date().toISOString(),
        type: 'config.loaded',
        severity: 'info',
      });
      expect(await sink.verify()).toMatchObject({ ok: true, rows: stored.size + 1 });
    } finally {
      await db.close();
    }
  }, 60_000);
});
