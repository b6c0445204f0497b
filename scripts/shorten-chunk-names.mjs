// cargo-leptos names each lazy chunk with a 22-character content hash (`chunk_7.<hash>.wasm`),
// and the split loader, which the first page downloads, lists every chunk's URL: about 250
// random, incompressible hashes, a third of the loader's brotli bytes. Eight characters (48
// bits) are enough to tell one version of a chunk from another for caching, so this renames
// the chunks and rewrites their names in the loader and the manifest (which the server reads for
// `<link rel=preload>`). Run after the build and before precompress.mjs.
// Usage: node scripts/shorten-chunk-names.mjs [site-root]
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEEP = 8;
const pkg = join(process.argv[2] ?? 'target/site', 'pkg');
const chunk = /^((?:chunk_\d+|split_[A-Za-z0-9_]+)\.)([A-Za-z0-9_-]{22})\.wasm$/;

const renamed = new Map();
const taken = new Set();
for (const name of readdirSync(pkg)) {
  const m = chunk.exec(name);
  if (!m) continue;
  const short = `${m[1]}${m[2].slice(0, KEEP)}`;
  if (taken.has(short)) throw new Error(`two chunks shorten to ${short}`);
  taken.add(short);
  renamed.set(`${m[1]}${m[2]}`, short);
  renameSync(join(pkg, name), join(pkg, `${short}.wasm`));
}
if (renamed.size === 0) {
  console.log('no hashed chunks: nothing to shorten');
  process.exit(0);
}

const long = /(?:chunk_\d+|split_[A-Za-z0-9_]+)\.[A-Za-z0-9_-]{22}/g;
for (const name of readdirSync(pkg)) {
  if (!/^__wasm_split(_manifest)?\..*\.(js|json)$/.test(name)) continue;
  const path = join(pkg, name);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(long, (full) => {
    const short = renamed.get(full);
    if (!short) throw new Error(`${name} names ${full}, which is not in ${pkg}`);
    return short;
  });
  writeFileSync(path, after);
  console.log(`${name}: ${before.length} → ${after.length} B`);
}
console.log(`${renamed.size} chunks renamed to ${KEEP}-character hashes`);
