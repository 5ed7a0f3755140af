import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = resolve(import.meta.dirname, '..');
const SRC = join(PACKAGE_DIR, 'src');
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Every specifier a module imports or re-exports, `import type` included: a cycle of types is a cycle too. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/^(?:import|export)\s[^'"]*?\sfrom\s+'([^']+)'/gm)) found.push(match[1] ?? '');
  for (const match of source.matchAll(/^import\s+'([^']+)'/gm)) found.push(match[1] ?? '');
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

const modules = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(SRC, file));
const graph = new Map<string, string[]>();
const external = new Map<string, string[]>();
for (const file of modules) {
  const all = specifiers(readFileSync(file, 'utf8'));
  graph.set(
    file,
    all.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s)),
  );
  external.set(
    file,
    all.filter((s) => !s.startsWith('.')),
  );
}

/** One cycle per back edge a depth-first walk meets, as `a.ts -> b.ts -> a.ts`. */
function cycles(): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): void => {
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) found.push([...path.slice(at), next].map((f) => relative(SRC, f)).join(' -> '));
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    done.add(file);
  };
  for (const file of modules) if (!done.has(file)) visit(file);
  return found;
}

describe('the sandbox package stands on its own', () => {
  it('reads its imports (the walk sees the server importing its routes)', () => {
    expect(graph.get(join(SRC, 'sandbox_server.ts'))).toContain(join(SRC, 'sandbox_admin_routes.ts'));
    expect(external.get(join(SRC, 'sandbox_server.ts'))).toContain('express');
  });

  it('imports nothing outside its own folder', () => {
    const outside = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => relative(SRC, target).startsWith('..')).map((t) => `${relative(SRC, file)} -> ${t}`),
    );
    expect(outside).toEqual([]);
  });

  it('imports only Node built-ins and the dependencies its package.json declares', () => {
    const undeclared = [...external].flatMap(([file, names]) =>
      names
        .filter((name) => !name.startsWith('node:') && manifest.dependencies[packageName(name)] === undefined)
        .map((name) => `${relative(SRC, file)} -> ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles()).toEqual([]);
  });
});
