// Opens PostgreSQL in a fresh schema (dropped by `drop`), for the runners: parallel runs never collide.
import { openPostgres } from '../../src/postgres/index.ts';

export async function freshPostgres(url: string) {
  const schema = `smarter_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = openPostgres(url, { max: 1 });
  await admin.sql.exec(`CREATE SCHEMA ${schema}`);
  const db = openPostgres(url, { max: 4, searchPath: schema });
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.sql.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}
