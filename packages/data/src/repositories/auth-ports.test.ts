import { authRepositoriesConformance } from '@smarter/auth/testing/conformance';
import { serviceUrl } from '@smarter/security/testing';
import { openBetterSqlite } from '../better-sqlite3/index.ts';
import { migrate } from '../core/migrate.ts';
import { openPostgres } from '../postgres/index.ts';
import { createRepositories } from './index.ts';

// The auth package's own contract for its storage ports, held against these repositories (SQLite and PostgreSQL).
authRepositoriesConformance('better-sqlite3', async () => {
  const db = openBetterSqlite(':memory:');
  await migrate(db);
  return { repositories: createRepositories(db), close: () => db.close() };
});

const pgUrl = serviceUrl('DATABASE_URL', 'PostgreSQL');
if (pgUrl) {
  authRepositoriesConformance('postgres', async () => {
    const schema = `smarter_auth_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = openPostgres(pgUrl, { max: 1 });
    await admin.sql.exec(`CREATE SCHEMA ${schema}`);
    const db = openPostgres(pgUrl, { max: 2, searchPath: schema });
    await migrate(db);
    return {
      repositories: createRepositories(db),
      close: async () => {
        await db.close();
        await admin.sql.exec(`DROP SCHEMA ${schema} CASCADE`);
        await admin.close();
      },
    };
  });
}
