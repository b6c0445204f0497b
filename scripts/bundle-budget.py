#!/usr/bin/env python3
"""What the first page costs a phone, and whether it fits the budget.

The first page (the shell, the home page, sign-in) loads the main WASM module, its JS glue, the
split loader and the stylesheet; every other page's code is in `split_*`/`chunk_*` files that load
when the page is first opened. Sizes are of the brotli files the server sends (scripts/
precompress.mjs), raw beside them. Exits 1 when the first page's brotli bytes exceed `--ceiling` (default: the product's
budget, `--budget`, 250 KB); the ratio printed is always to the budget.

    python3 scripts/bundle-budget.py target/site-release [--budget 250000] [--ceiling N]
"""
import glob, os, re, sys

args = sys.argv[1:]
site = args[0] if args else "target/site-release"
budget = int(args[args.index("--budget") + 1]) if "--budget" in args else 250_000
ceiling = int(args[args.index("--ceiling") + 1]) if "--ceiling" in args else budget
pkg = os.path.join(site, "pkg")

def size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0

files = sorted(f for f in os.listdir(pkg) if re.search(r"\.(wasm|js|css)$", f))
first = [f for f in files if re.match(r"(portal\.|__wasm_split\.)", f)]
lazy = [f for f in files if re.match(r"(split_|chunk_)", f)]
if not any(f.endswith(".wasm") for f in first):
    sys.exit(f"error: no portal.*.wasm in {pkg}; build with scripts/build-release.sh first")

def row(name, raw, br):
    print(f"  {name:<60} {raw:>10,} {br:>10,}")

print(f"first page ({pkg}):{'':<39} {'raw B':>10} {'brotli B':>10}")
total_raw = total_br = 0
for f in first:
    raw, br = size(os.path.join(pkg, f)), size(os.path.join(pkg, f + ".br"))
    total_raw += raw; total_br += br
    row(f, raw, br)
row("total", total_raw, total_br)
lazy_sizes = sorted(((size(os.path.join(pkg, f + ".br")), size(os.path.join(pkg, f)), f) for f in lazy), reverse=True)
print(f"\nloaded on first visit of a page: {len(lazy)} files, "
      f"{sum(s[1] for s in lazy_sizes):,} B raw, {sum(s[0] for s in lazy_sizes):,} B brotli; the largest:")
for br, raw, f in lazy_sizes[:8]:
    row(f, raw, br)
print(f"\nfirst page: {total_br:,} B brotli of a {budget:,} B budget ({total_br / budget:.2f})")
if total_br > ceiling:
    print(f"error: the first page is {total_br - ceiling:,} B over {ceiling:,} B", file=sys.stderr)
    sys.exit(1)
