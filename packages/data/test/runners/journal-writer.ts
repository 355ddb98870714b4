// A Node child for the durability test: appends journal events to an SQLite file forever, 16 in flight at a
// time, and prints `ack <id>` once each write has resolved (committed). The parent SIGKILLs it mid-stream.
import { openBetterSqlite } from '../../src/better-sqlite3/index.ts';
import { migrate } from '../../src/core/migrate.ts';
import { databaseJournalSink } from '../../src/journal/database-sink.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: journal-writer <file>');
const db = openBetterSqlite(path);
await migrate(db);
const sink = databaseJournalSink(db);
console.log('ready');
for (let n = 0; ; n += 16) {
  await Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      const id = crypto.randomUUID();
      await sink.write({
        id,
        time: new Date().toISOString(),
        type: 'auth.failed',
        severity: 'warning',
        reason: 'BAD_KEY',
        details: { n: n + i },
      });
      process.stdout.write(`ack ${id}\n`);
    }),
  );
}
