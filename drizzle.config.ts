import { defineConfig } from 'drizzle-kit';

// Migrations are generated from db/schema.ts and applied by `tingjian migrate` to Postgres and PGlite alike.
// Generate with the lock so two engineers never write the same migration number:
//   flock /tmp/drizzle.lock npx drizzle-kit generate --name <what_changed>
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
