// The split loader (__wasm_split.*.js) comes from cargo-leptos unminified, with a comment above
// each of its ~200 chunks listing every page that shares the chunk: a third of the first page's
// loader bytes. Those comments are all it removes, so the file name's hash (taken before) still
// names one content. Usage: node scripts/strip-split-comments.mjs [site-root]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = join(process.argv[2] ?? 'target/site', 'pkg');
for (const name of readdirSync(pkg)) {
  if (!/^__wasm_split\..*\.js$/.test(name)) continue;
  const path = join(pkg, name);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(/^\/\* [^\n]*? \*\/\n/gm, '');
  writeFileSync(path, after);
  console.log(`${name}: ${before.length} → ${after.length} B`);
}
