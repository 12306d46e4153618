#!/usr/bin/env python3
"""render --devnet all of a many-devnet archive where one devnet changed,
against rendering that devnet alone (the baseline, in the same run).

usage: bench/render_incremental.py BINARY OUT_DIR [--devnets 100] [--clients 4] [--hours 0.5]

Simulates N iterations into OUT_DIR/data, renders the whole site once (every
page and cached summary written), then, best of 3 each:
  - changed: the newest-but-one devnet's data file touched (new modification
    time, so its inputs hash changes), then `render --devnet all`: that
    devnet's pages and summary are made again, the others' cached summaries
    read, compare.html and the index rewritten;
  - alone: `render --devnet ID --force` of that devnet into a fresh site
    that holds only it (its pages, its summary, a one-row compare.html).
Prints a Markdown table and writes OUT_DIR/render_incremental.json.
"""
import argparse, json, os, shutil, subprocess, sys, time


def run(cmd):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    return wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("out")
    ap.add_argument("--devnets", type=int, default=100)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--hours", type=float, default=0.5)
    a = ap.parse_args()
    data, site = os.path.join(a.out, "data"), os.path.join(a.out, "site")
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(a.out)
    run([a.binary, "simulate", "--data-dir", data, "--iterations", str(a.devnets), "--clients", str(a.clients),
         "--hours", str(a.hours), "--end", "2026-11-23T12:00:00Z"])
    ids = [d["id"] for d in json.load(open(os.path.join(data, "devnets.json")))["devnets"]]
    first = run([a.binary, "render", "--devnet", "all", "--data-dir", data, "--out", site])
    target = ids[-2]
    changed, alone = [], []
    for i in range(3):
        files = [os.path.join(data, target, f) for f in os.listdir(os.path.join(data, target))]
        now = time.time() + i + 1
        os.utime(files[0], (now, now))
        changed.append(run([a.binary, "render", "--devnet", "all", "--data-dir", data, "--out", site]))
        one = os.path.join(a.out, f"alone-{i}")
        alone.append(run([a.binary, "render", "--devnet", target, "--force", "--data-dir", data, "--out", one]))
    result = {"devnets": len(ids), "clients": a.clients, "hours": a.hours, "first_render_s": first,
              "changed_all_s": min(changed), "alone_s": min(alone), "ratio": min(changed) / min(alone)}
    json.dump(result, open(os.path.join(a.out, "render_incremental.json"), "w"), indent=2)
    print("| devnets | first render, all | one changed, render all | that devnet alone | ratio |")
    print("|---|---|---|---|---|")
    print(f"| {len(ids)} × {a.clients} clients × {a.hours} h | {first:.2f} s | {min(changed):.3f} s | "
          f"{min(alone):.3f} s | {result['ratio']:.2f}× |")


if __name__ == "__main__":
    main()
