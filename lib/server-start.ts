import 'server-only';
import { ConfigError, config } from './config';

/** A misconfigured deployment stops here, naming everything that is missing, instead of failing on first use. */
export async function startServer(): Promise<void> {
  try {
    const { nextAuth } = config();
    // next-auth reads its own variables; demo mode supplies them when the environment does not.
    process.env.NEXTAUTH_URL ??= nextAuth.url;
    process.env.NEXTAUTH_SECRET ??= nextAuth.secret;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
