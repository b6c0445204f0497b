#!/usr/bin/env python3
"""Which files of a crate import each other in a circle.

Reads every `crate::a::b` path in `<crate>/src`, maps it to the file that defines the module, and
prints the strongly connected groups of more than one file. Exits 1 when a group is larger than
`--max` (default: no limit), so the test command can hold the line.

    python3 scripts/module-cycles.py app [--max N]
"""
import os, re, sys

def module_files(src):
    files = {}
    for root, _, names in os.walk(src):
        for name in names:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel[-1] in ("mod", "lib"):
                rel = rel[:-1]
            files[tuple(rel)] = path
    return files

def strip_comments(text):
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)

def use_tree(tree, prefix, out):
    """Expands `a::{b, c::{d, e}}` into [prefix+a+b, prefix+a+c+d, ...]."""
    tree = tree.strip()
    brace = tree.find("{")
    if brace < 0:
        segs = [w for w in re.findall(r"\w+", tree.split(" as ")[0]) if w != "self"]
        out.append(prefix + segs)
        return
    head = [w for w in re.findall(r"\w+", tree[:brace])]
    inner, depth, part = tree[brace + 1 : tree.rindex("}")], 0, ""
    for ch in inner + ",":
        if ch == "," and depth == 0:
            if part.strip():
                use_tree(part, prefix + head, out)
            part = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        part += ch
    out.append(prefix + head)

def imports(text, module):
    """Every module path a file names (`crate::`, `super::`), as `use` trees and inline paths."""
    paths = []
    roots = {"crate": [], "super": list(module[:-1])}
    for root, prefix in roots.items():
        for m in re.finditer(r"\buse\s+" + root + r"::([^;]*);", text, flags=re.S):
            use_tree(m.group(1), prefix, paths)
        text = re.sub(r"\buse\s+" + root + r"::[^;]*;", "", text, flags=re.S)
        for m in re.finditer(r"\b" + root + r"((?:::\w+)+)", text):
            paths.append(prefix + [p for p in m.group(1).split("::") if p])
    return paths

def resolve(path, files):
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in files:
            return tuple(path[:n])
    return None

def sccs(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop(); on.discard(w); group.append(w)
                if w == v:
                    break
            out.append(group)
    for v in graph:
        if v not in index:
            visit(v)
    return out

def main():
    args = sys.argv[1:]
    crate = args[0]
    limit = int(args[args.index("--max") + 1]) if "--max" in args else None
    src = os.path.join(crate, "src")
    files = module_files(src)
    graph = {}
    for module, path in files.items():
        with open(path, encoding="utf-8") as f:
            text = strip_comments(f.read())
        deps = {resolve(p, files) for p in imports(text, module)}
        # A file's own submodules are part of it only when declared, not imports; drop self.
        graph[module] = {d for d in deps if d and d != module and d != ()}
    groups = sorted((g for g in sccs(graph) if len(g) > 1), key=len, reverse=True)
    largest = len(groups[0]) if groups else 0
    for g in groups:
        print(f"{len(g)} files in one circle:")
        for m in sorted(g):
            print("   ", os.path.relpath(files[m]))
    print(f"largest circle: {largest} files")
    if limit is not None and largest > limit:
        print(f"error: more than {limit} files import each other in one circle", file=sys.stderr)
        sys.exit(1)

main()
