import { type ChildProcess, spawn } from 'node:child_process';

/**
 * The emulator in a child process of its own (its own core), for the benches that measure Keyshift against it:
 * started with `args` after `--port`, answered once its JWKS is served.
 */
export async function startEmulatorChild(port: number, args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--port', String(port), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/.well-known/jwks.json`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`the emulator exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return child;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${url} did not answer`);
}
