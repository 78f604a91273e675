import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
// Static `import … from '…'`, side-effect `import '…'`, `export … from '…'` (clauses may span lines), and `import('…')`.
const STATIC =
  /^\s*(?:import|export)\s+(?:type\s+)?(?:(?:[\w*]+(?:\s+as\s+\w+)?\s*,?\s*)?(?:\{[^}]*\})?\s*from\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(STATIC), ...source.matchAll(DYNAMIC)].map((m) => m[1] ?? '');
}

const modules = readdirSync(HERE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

/** Every module the browser could load through `@/lib/certs/…` (each is an entry point), following relative imports. */
function moduleGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const imports = specifiers(file);
    graph.set(file, imports);
    for (const spec of imports.filter((s) => s.startsWith('.'))) visit(join(dirname(file), `${spec}.ts`));
  };
  for (const module of modules) visit(join(HERE, module));
  return graph;
}

const graph = moduleGraph();
const name = (file: string) => relative(HERE, file);
const external = [...graph].flatMap(([file, imports]) =>
  imports.filter((s) => !s.startsWith('.')).map((spec) => ({ file: name(file), spec })),
);

describe('lib/certs is client-safe', () => {
  test('the import graph is exactly the non-test modules of lib/certs (no relative import leaves it)', () => {
    expect([...graph.keys()].map(name).sort()).toEqual([...modules].sort());
  });

  test('the graph parser sees imports (guards against a regex that matches nothing)', () => {
    expect(external.map((e) => e.spec)).toEqual(expect.arrayContaining(['@peculiar/x509', 'zod']));
  });

  const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  test.each([...graph.keys()].map(name))('%s imports no Node built-in and not server-only', (file) => {
    const imports = graph.get(join(HERE, file)) ?? [];
    expect(imports.filter((s) => s.startsWith('node:') || nodeBuiltins.has(s))).toEqual([]);
    expect(imports).not.toContain('server-only');
    expect(readFileSync(join(HERE, file), 'utf8')).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b/);
  });

  test('external packages are only @peculiar/x509 (through x509-runtime.ts, after the Reflect polyfill) and zod', () => {
    expect(external).toEqual(expect.arrayContaining([{ file: 'x509-runtime.ts', spec: '@peculiar/x509' }]));
    for (const { file, spec } of external) {
      if (spec === '@peculiar/x509' || spec === 'reflect-metadata/lite') expect(file).toBe('x509-runtime.ts');
      else expect(spec).toBe('zod');
    }
    expect(graph.get(join(HERE, 'x509-runtime.ts'))).toEqual(['reflect-metadata/lite', '@peculiar/x509']);
  });
});
