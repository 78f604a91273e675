/** `npm run emulator`: the primary tenant and any extra ones, each on its own port (flags and env: cli.ts). */
import { parseCommand, UsageError } from './cli';
import { createOidcIssuer, type OidcIssuer } from './oidc';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from './server';
import { extraTenantStateFile } from './state-file';

function fail(message: string, code = 2): never {
  console.error(`emulator: ${message}`);
  process.exit(code);
}

let command: ReturnType<typeof parseCommand>;
try {
  command = parseCommand(process.argv.slice(2), process.env);
} catch (error) {
  if (error instanceof UsageError) fail(error.message);
  throw error;
}

// Every tenant has the same options; each has its own port, state file and everything the state holds.
const shared: EmulatorOptions = {
  host: command.host,
  connections: command.connections,
  rateLimit: command.rateLimit,
  admin: command.admin,
  signInRate: command.signInRate,
  keyPool: command.keyPool,
  agedKeys: command.agedKeys,
};
const { stateFile } = command;
// The sign-in issuer (emulator/oidc) serves everything the primary tenant's Auth0 API routes do not. Its issuer URL
// contains the port, known only after listen(), so it is attached once the server is up; until then such requests
// get 503. Extra tenants have no sign-in issuer: operators sign in once, on the primary's port.
let oidc: OidcIssuer | undefined;
const running: RunningEmulator[] = [];
try {
  running.push(
    await startEmulator({
      ...shared,
      fallback: (req, res) => (oidc ? oidc.handle(req, res) : res.writeHead(503).end()),
      port: command.port,
      stateFile,
    }),
  );
  for (const { domain, port } of command.extraTenants) {
    running.push(
      await startEmulator({
        ...shared,
        domain,
        port,
        stateFile: stateFile === undefined ? undefined : extraTenantStateFile(stateFile, domain),
      }),
    );
  }
} catch (error) {
  await Promise.allSettled(running.map((emulator) => emulator.close()));
  fail(error instanceof Error ? error.message : String(error), 1);
}
oidc = await createOidcIssuer({ issuer: running[0]?.url ?? '' });
for (const emulator of running) console.log(`Auth0 emulator for ${emulator.domain} listening on ${emulator.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    Promise.all(running.map((emulator) => emulator.close())).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('emulator: failed to close cleanly', error);
        process.exit(1);
      },
    );
  });
}
