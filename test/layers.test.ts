// Each file in its room (issue #10 §4): server/domain holds rules with no I/O and no framework, so it can be read,
// tested and reused without a database, a web server, a workbook library or a template engine.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DOMAIN = path.join(import.meta.dirname, '../server/domain');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);

describe('server/domain', () => {
  it('imports only other domain files and node:crypto (hashing is a rule of links, not I/O)', () => {
    const outside = sources(DOMAIN).flatMap((file) =>
      importsOf(file)
        .filter((spec) => (spec.startsWith('.') ? !path.resolve(path.dirname(file), spec).startsWith(DOMAIN) : spec !== 'node:crypto'))
        .map((spec) => `${path.relative(DOMAIN, file)} → ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});
