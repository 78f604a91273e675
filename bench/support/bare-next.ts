import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BareNext {
  url: string;
  /** The id of `echo`, a server action that answers with its argument as JSON text, served from the page at `${url}action`. */
  echoActionId: string;
  stop(): Promise<void>;
}

/**
 * A Next.js app with nothing in it (one heading at `/`; the same Next and React as Keyshift), built and started for a
 * comparison. A second page, `/action`, holds a form bound to `echo`, the smallest server action there is. It lives outside the repository (inside it, Next would pick up Keyshift's proxy.ts and
 * instrumentation.ts) and uses Keyshift's node_modules through a symlink, hence Turbopack's root at `/`.
 */
export async function startBareNext(port: number): Promise<BareNext> {
  const dir = mkdtempSync(join(tmpdir(), 'keyshift-bare-next-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'app'), { recursive: true });
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bare', private: true }));
  writeFileSync(join(dir, 'next.config.mjs'), "export default { turbopack: { root: '/' } };\n");
  writeFileSync(
    join(dir, 'app/layout.jsx'),
    'export const metadata = { title: "Bare" };\nexport default function Layout({ children }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n',
  );
  writeFileSync(
    join(dir, 'app/page.jsx'),
    'export default function Page() {\n  return <main><h1>Hello</h1></main>;\n}\n',
  );
  mkdirSync(join(dir, 'app/action'), { recursive: true });
  writeFileSync(
    join(dir, 'app/action/actions.js'),
    "'use server';\nexport async function echo(value) {\n  return { ok: true, echoed: JSON.stringify(value) };\n}\n",
  );
  writeFileSync(
    join(dir, 'app/action/page.jsx'),
    "import { echo } from './actions';\nexport default function Page() {\n  return <form action={echo}><button>Echo</button></form>;\n}\n",
  );
  const next = resolve('node_modules/next/dist/bin/next');
  // Its own `.next`, whatever dist dir Keyshift's build uses.
  const { NEXT_DIST_DIR: _ignored, ...inherited } = process.env;
  const env = { ...inherited, NEXT_TELEMETRY_DISABLED: '1' };
  const build = spawnSync('node', [next, 'build'], { cwd: dir, env, encoding: 'utf8' });
  if (build.status !== 0) {
    remove();
    throw new Error(`the bare Next.js page did not build:\n${build.stdout}\n${build.stderr}`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string }>;
  };
  const echoActionId = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === 'echo')?.[0] ?? '';
  const server = spawn('node', [next, 'start', '--port', String(port)], { cwd: dir, env, stdio: 'ignore' });
  const url = `http://localhost:${port}/`;
  const stop = async () => {
    if (server.exitCode === null) {
      await new Promise<void>((done) => {
        server.once('exit', () => done());
        server.kill('SIGTERM');
      });
    }
    remove();
  };
  for (let i = 0; i < 600; i++) {
    const up = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { url, echoActionId, stop };
    await new Promise((done) => setTimeout(done, 100));
  }
  await stop();
  throw new Error(`the bare Next.js page did not start on ${url}`);
}
