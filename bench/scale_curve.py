#!/usr/bin/env python3
"""The observatory against devnet size (issue 19, "Scale"): for each size,
`simulate --data-dir` (one iteration of that length), then, each best of
--repeat, `render --devnet all --force` (six reports + overview) and
`summary --format json`: wall and CPU time (user + system) and peak RSS of
each process (wait4's rusage).

usage: bench/scale_curve.py BINARY OUT_DIR [--sizes 1x6,24x16] [--full]
                            [--repeat 3] [--limit-gb 7.5] [--keep]

--full measures 1 h, 1 d, 7 d, 30 d x 6, 16, 64 clients (the 30-day,
64-client archive takes about 2 minutes to simulate and 1 GB of disk). A run
whose RSS passes --limit-gb is stopped and reported as such (the machine is
shared). Prints a Markdown table; writes OUT_DIR/scale_curve.json.
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, time

FULL = [f"{h}x{c}" for h in (1, 24, 168, 720) for c in (6, 16, 64)]
SMALL = ["1x6", "1x16", "24x6", "24x16"]


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd, limit_kb):
    """Runs cmd; returns dict(wall, cpu, rss_mb, ok, note)."""
    out_f, err_f = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # pipes would fill and block the child
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=out_f, stderr=err_f)
    killed_at = 0
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            break
        rss = rss_kb(p.pid)
        if rss > limit_kb and not killed_at:
            killed_at = rss
            p.send_signal(signal.SIGKILL)
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    out_f.seek(0)
    err_f.seek(0)
    out, err = out_f.read(), err_f.read()
    r = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
         "ok": os.waitstatus_to_exitcode(status) == 0 and not killed_at, "note": ""}
    if killed_at:
        r["note"] = f"stopped at {killed_at / 1024 / 1024:.1f} GB RSS"
    elif not r["ok"]:
        r["note"] = err.decode(errors="replace")[-300:]
    r["stdout"] = out
    return r


def best(runs):
    ok = [r for r in runs if r["ok"]]
    return min(ok, key=lambda r: r["cpu"]) if ok else runs[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("out")
    ap.add_argument("--sizes", default=",".join(SMALL))
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit-gb", type=float, default=7.5)
    ap.add_argument("--keep", action="store_true", help="reuse archives already simulated in OUT_DIR")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    sizes = FULL if a.full else a.sizes.split(",")
    limit = int(a.limit_gb * 1024 * 1024)
    os.makedirs(a.out, exist_ok=True)
    results = []
    for size in sizes:
        hours, clients = size.split("x")
        data = os.path.join(a.out, f"data-{size}")
        site = os.path.join(a.out, f"site-{size}")
        row = {"size": size, "hours": float(hours), "clients": int(clients)}
        if not (a.keep and os.path.exists(os.path.join(data, "manifest.json"))):
            shutil.rmtree(data, ignore_errors=True)
            row["simulate"] = measure([a.binary, "simulate", "--data-dir", data, "--hours", hours, "--clients", clients,
                                       "--iterations", "1", "--seed", str(a.seed), "--end", "2026-11-01T00:00:00Z"],
                                      limit)
            if not row["simulate"]["ok"]:
                results.append(row)
                print(f"{size}: simulate failed: {row['simulate']['note']}", file=sys.stderr)
                continue
            del row["simulate"]["stdout"]
        manifest = json.load(open(os.path.join(data, "manifest.json")))
        devnet, entry = next(iter(manifest["devnets"].items()))
        records = entry["datasets"]
        row["rows"] = sum(r["row_count"] for r in records.values())
        row["archive_mb"] = sum(r["file_size_bytes"] for r in records.values()) / 1e6
        renders, summaries = [], []
        for _ in range(a.repeat):
            shutil.rmtree(site, ignore_errors=True)
            renders.append(measure([a.binary, "render", "--devnet", "all", "--force", "--data-dir", data, "--out", site],
                                   limit))
            if not renders[-1]["ok"]:
                break
        for _ in range(a.repeat if renders[-1]["ok"] else 0):
            summaries.append(measure([a.binary, "summary", "--format", "json", "--devnet", devnet, "--data-dir", data],
                                     limit))
            if not summaries[-1]["ok"]:
                break
        for key, runs in (("render", renders), ("summary", summaries)):
            if runs:
                row[key] = best(runs)
                del row[key]["stdout"]
        results.append(row)
        print(f"{size}: {json.dumps({k: v for k, v in row.items()})}", file=sys.stderr)
    json.dump({"load": os.getloadavg(), "results": results}, open(os.path.join(a.out, "scale_curve.json"), "w"),
              indent=2)

    def cell(row, key, field, fmt):
        r = row.get(key)
        if not r:
            return "–"
        return fmt.format(r[field]) if r["ok"] else f"({r['note']})"

    print("| devnet | rows | archive MB | simulate s (CPU) | simulate RSS MiB | render s | render CPU s "
          "| render RSS MiB | summary s | summary CPU s | summary RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in results:
        sim = row.get("simulate")
        print(f"| {row['hours']:g} h × {row['clients']} | {row.get('rows', 0):,} | {row.get('archive_mb', 0):.1f} "
              f"| {cell(row, 'simulate', 'cpu', '{:.2f}')} | {cell(row, 'simulate', 'rss_mb', '{:.0f}')} "
              f"| {cell(row, 'render', 'wall', '{:.2f}')} | {cell(row, 'render', 'cpu', '{:.2f}')} "
              f"| {cell(row, 'render', 'rss_mb', '{:.0f}')} | {cell(row, 'summary', 'wall', '{:.2f}')} "
              f"| {cell(row, 'summary', 'cpu', '{:.2f}')} | {cell(row, 'summary', 'rss_mb', '{:.0f}')} |"
              if sim is None or sim["ok"] else f"| {row['hours']:g} h × {row['clients']} | simulate failed: {sim['note']} |")
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
