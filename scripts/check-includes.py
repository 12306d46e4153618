#!/usr/bin/env python3
"""Rejects an #include across a forbidden edge of the stage graph.

The rules are read from docs/ARCHITECTURE.md ("Rule of dependency" table), so
the document and the check cannot disagree. A stage may include its own
headers, common/, and the stages its row lists. Only archive/ (and the
`parquet` command of cli/) may include the Parquet codec's public header.
Prints one line per violation and exits 1 if there is any.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
doc = (root / "docs/ARCHITECTURE.md").read_text()
section = doc.split("## Rule of dependency", 1)[1].split("\n## ", 1)[0]
allowed = {}
for line in section.splitlines():
    m = re.match(r"\|\s*`([a-z_/]+)/`\s*\|(.*)\|\s*$", line)
    if not m:
        continue
    stage, rest = m.group(1), m.group(2)
    if "every stage" in rest:
        allowed[stage] = None  # anything
    else:
        allowed[stage] = set(re.findall(r"`([a-z_/]+)/`", rest))
if not allowed:
    sys.exit("check-includes: no rule table found in docs/ARCHITECTURE.md")


def stage_of(path):
    """The stage a header or source belongs to: archive/parquet is its own."""
    parts = pathlib.PurePosixPath(path).parts
    if len(parts) >= 2 and parts[0] == "archive" and parts[1] == "parquet":
        return "archive/parquet"
    return parts[0]


codec = "archive/parquet/parquet.h"
codec_users = {"cli/cmd_parquet.cpp"}
bad = []
for file in sorted((root / "src").rglob("*")):
    if file.suffix not in (".h", ".cpp"):
        continue
    rel = file.relative_to(root / "src").as_posix()
    own = stage_of(rel)
    if own not in allowed:
        bad.append(f"src/{rel}: stage '{own}/' has no row in docs/ARCHITECTURE.md")
        continue
    for n, line in enumerate(file.read_text(errors="replace").splitlines(), 1):
        m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
        if not m:
            continue
        target = m.group(1)
        if "/" not in target:
            continue
        other = stage_of(target)
        if target == codec and own != "archive/parquet" and not (own == "archive" or rel in codec_users):
            bad.append(f"src/{rel}:{n}: includes the Parquet codec ({codec}); only archive/ may")
            continue
        ok = other == own or other == "common" or allowed[own] is None or other in allowed[own]
        if own == "archive" and other == "archive/parquet":
            ok = True
        if not ok:
            bad.append(f"src/{rel}:{n}: {own}/ may not include {target} ({other}/ is not in its row)")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
