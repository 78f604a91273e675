import { defineConfig } from 'drizzle-kit';

// Generate a migration after changing lib/audit/schema.ts (the schema imports 'server-only', hence the condition):
//   NODE_OPTIONS=--conditions=react-server npx drizzle-kit generate --name=<what-changed>
// Migrations are committed and applied by the app at start (lib/audit/database.ts), never at build time.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/audit/schema.ts',
  out: './drizzle',
  strict: true,
});
