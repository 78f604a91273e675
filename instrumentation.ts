/** Runs once when a server process starts. The Node-only work lives in its own module, out of the Edge bundle. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startServer } = await import('./lib/server/start');
    await startServer();
  }
}
