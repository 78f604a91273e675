import 'server-only';
import { ConfigError, config } from './config';

/** A misconfigured deployment stops here, naming everything that is missing, instead of failing on first use. */
export async function startServer(): Promise<void> {
  try {
    config();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
