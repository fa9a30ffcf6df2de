#!/usr/bin/env python3
"""Lists the public symbols of the Wordshift library that have no `///` doc comment.

Reads the symbol graph that `tools/build-docs.sh` writes (.build/docs/symbol-graphs) and
prints one `file:line: kind name` line per public symbol declared in Sources/Wordshift with
no doc comment of its own. Symbols the compiler synthesises (no source location) and members
that implement a documented protocol requirement (e.g. `description`, `init(from:)`) are left
out: DocC shows the protocol's comment for them.

    bash tools/build-docs.sh && python3 tools/undocumented.py [--summary] [--fail]
"""
import glob
import json
import os
import sys
from collections import Counter
from urllib.parse import unquote, urlparse

graphs = ".build/docs/symbol-graphs"
root = os.path.abspath("Sources/Wordshift")
files = sorted(glob.glob(os.path.join(graphs, "*.symbols.json")))
if not files:
    sys.exit(f"no symbol graphs in {graphs}: run `bash tools/build-docs.sh` first")

missing, total, seen = [], 0, set()
for path in files:
    with open(path) as f:
        graph = json.load(f)
    # Members that implement a protocol requirement ("defaultImplementationOf"/"requirementOf"
    # edges are the protocol side; "overrides" links a conformance member to its requirement).
    inherits = {e["source"] for e in graph.get("relationships", []) if e.get("kind") == "overrides"}
    for s in graph.get("symbols", []):
        loc = s.get("location")
        if not loc:
            continue
        file = unquote(urlparse(loc["uri"]).path)
        if not file.startswith(root):
            continue
        key = s["identifier"]["precise"]
        if key in seen:
            continue
        seen.add(key)
        total += 1
        if s.get("docComment") or key in inherits:
            continue
        line = loc["position"]["line"] + 1
        missing.append((os.path.relpath(file), line, s["kind"]["displayName"], ".".join(s["pathComponents"])))

missing.sort()
if "--summary" in sys.argv:
    by_folder = Counter(m[0].split("/")[2] for m in missing)
    for folder, n in by_folder.most_common():
        print(f"{n:4d}  {folder}")
print(f"{len(missing)} of {total} public symbols have no doc comment", file=sys.stderr)
if "--summary" not in sys.argv:
    for file, line, kind, name in missing:
        print(f"{file}:{line}: {kind} {name}")
sys.exit(1 if missing and "--fail" in sys.argv else 0)
