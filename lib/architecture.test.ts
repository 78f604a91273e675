import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The layering ARCHITECTURE.md promises, checked on every run: arrows point one way (components → actions → lib →
 * SDK/DB), no two folders import each other, and the emulator, which stands in for Auth0, shares no code with the
 * app. Test files and test support may reach across (a test of lib/auth0 starts the emulator); shipped code may not.
 */
const root = path.resolve(__dirname, '..');
const sourceFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file && existsSync(path.join(root, file)));

const isTestCode = (file: string) =>
  /\.(test|spec)\.tsx?$/.test(file) ||
  /(^|\/)(test-support|test-backends|test-keys|testing)(\/|\.ts$)/.test(file) ||
  /^(e2e|bench|scripts)\//.test(file) ||
  /\.setup\.ts$/.test(file);

const shipped = sourceFiles.filter((file) => !isTestCode(file));

/**
 * The node a file belongs to in the layer graph: lib's areas one by one (its root files together); under app/ the
 * server actions (`actions.ts`, the layer components call) apart from the routes and pages that render components;
 * the rest by top folder.
 */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return '(root)';
  if (parts[0] === 'lib') return parts.length > 2 ? `lib/${parts[1]}` : 'lib';
  if (parts[0] === 'app') return parts.at(-1) === 'actions.ts' ? 'app:actions' : 'app:routes';
  return parts[0] as string;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const EXTENSIONS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

function resolveImport(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    const full = path.join(root, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return null;
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const target = resolveImport(file, (match[1] ?? match[2] ?? match[3]) as string);
    if (target) found.push(target);
  }
  return found;
}

const edges = new Map<string, Map<string, string>>();
for (const file of shipped) {
  for (const target of importsOf(file)) {
    const [from, to] = [folderOf(file), folderOf(target)];
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    edges.get(from)?.set(to, `${file} → ${target}`);
  }
}

/** Strongly connected components of the folder graph with more than one folder: each is a cycle. */
function folderCycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

function explain(cycle: string[]): string {
  return cycle
    .flatMap((from) => cycle.filter((to) => edges.get(from)?.has(to)).map((to) => `  ${edges.get(from)?.get(to)}`))
    .join('\n');
}

const imports = (fromFolder: (folder: string) => boolean, toFolder: (folder: string) => boolean) =>
  [...edges].flatMap(([from, targets]) =>
    fromFolder(from) ? [...targets].filter(([to]) => toFolder(to)).map(([, example]) => example) : [],
  );

describe('architecture', () => {
  test('the checker sees the tree (it would pass vacuously on nothing)', () => {
    expect(shipped.length).toBeGreaterThan(100);
    expect(edges.get('app:actions')?.has('lib/auth')).toBe(true);
    expect(edges.get('components')?.has('app:actions')).toBe(true);
    expect(edges.get('app:routes')?.has('components')).toBe(true);
  });

  test('no two folders import each other, directly or around a loop', () => {
    const cycles = folderCycles();
    expect(cycles.map((cycle) => `${cycle.join(' ⇄ ')}\n${explain(cycle)}`)).toEqual([]);
  });

  test.each([
    [
      'lib',
      'app or components (lib sits below the actions and the UI)',
      (f: string) => f.startsWith('lib'),
      (t: string) => t.startsWith('app') || t === 'components',
    ],
    [
      'the actions',
      'components (the UI calls the actions, never the reverse)',
      (f: string) => f === 'app:actions',
      (t: string) => t === 'components',
    ],
    [
      'the emulator',
      'the app (it stands in for Auth0 and runs as its own process)',
      (f: string) => f === 'emulator',
      (t: string) => t !== 'emulator',
    ],
    ['the app', 'the emulator', (f: string) => f !== 'emulator', (t: string) => t === 'emulator'],
  ])('nothing in %s imports %s', (_from, _to, fromFolder, toFolder) => {
    expect(imports(fromFolder, toFolder)).toEqual([]);
  });
});
