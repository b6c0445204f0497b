// Writes .br and .gz beside each bundle file in the site's pkg/ directory, at the highest
// compression levels, so the server sends them as they are instead of compressing on every
// request at a lower level. Usage: node scripts/precompress.mjs [site-root]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const pkg = join(process.argv[2] ?? 'target/site', 'pkg');
for (const name of readdirSync(pkg)) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const data = readFileSync(join(pkg, name));
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(join(pkg, `${name}.br`), br);
  writeFileSync(join(pkg, `${name}.gz`), gzipSync(data, { level: 9 }));
  console.log(`${name}: ${data.length} B raw, ${br.length} B brotli`);
}
