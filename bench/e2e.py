#!/usr/bin/env python3
"""End-to-end timings of leanscope on simulated devnets against a real local Prometheus.

usage: bench/e2e.py BINARY OUT_DIR [--sizes 1x6,24x6,24x16] [--keep]

With --keep the simulated and backfilled TSDB of each size stays in
OUT_DIR/e2e-work and a later run reuses it (7 days x 64 clients takes minutes
to prepare).

For each size HOURSxCLIENTS: simulate one iteration, backfill it with promtool,
start Prometheus on a free loopback port, then time
  - fetch --devnet all --force (wall, peak RSS) and the same query_range
    requests made with curl(1), 4 in flight like fetch: the floor fetch is
    compared with (ratio fetch / curl);
  - render of the networking page --force (wall, peak RSS, page size);
  - opening that page in headless Chromium: milliseconds from navigation to
    every chart drawn (the page's data-charts-ms);
  - summary --format json (wall).
Writes OUT_DIR/e2e.md (a table) and OUT_DIR/e2e.svg (cost against samples).
Timings are ratios against a baseline measured in the same run; nothing here
asserts a time.
"""
import argparse, json, os, re, shutil, signal, socket, subprocess, sys, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS MiB, completed process)."""
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    rss_kb = int(r.stderr.strip().splitlines()[-1])
    return wall, rss_kb / 1024, r


def best_of(n, fn):
    runs = [fn() for _ in range(n)]
    return min(runs, key=lambda x: x[0])


MAX_POINTS = 11_000  # prom::kMaxPointsPerRequest: fetch splits a longer range into chunks of this many points


def fetch_requests(binary, devnet):
    """The query_range parameters fetch sends for a devnet, in its order: each
    dataset's PromQL of `leanscope queries` at the dataset's step over the
    devnet's start and end, split as prom::split_range splits it (one request
    up to 11,000 points: 7.6 days at 60 s), with nocache=1 as fetch sends it
    (VictoriaMetrics would answer repeats from its cache; Prometheus ignores it)."""
    # `leanscope queries` lists each dataset as "id  (step N s)" and its PromQL
    # on indented lines: every query is a last_over_time(...) or rate(...) of
    # a metric or of a {__name__=~"..."} selector (derived datasets have none).
    text = subprocess.run([binary, "queries"], capture_output=True, text=True, check=True).stdout
    start = int(datetime.fromisoformat(devnet["start_time"]).timestamp())
    end = int(datetime.fromisoformat(devnet["end_time"]).timestamp())
    requests, step = [], 60
    for line in text.splitlines():
        m = re.match(r"^\S+\s+\(step (\d+) s\)", line)
        if m:
            step = int(m.group(1))
            continue
        m = re.match(r"^\s+((?:last_over_time|rate)\(.+\))\s*$", line)
        if not m:
            continue
        for s in range(start, end + 1, MAX_POINTS * step):
            requests.append({"query": m.group(1), "start": s, "end": min(end, s + (MAX_POINTS - 1) * step),
                             "step": step, "nocache": 1})
    if not requests:
        sys.exit("no queries found in `leanscope queries`")
    return requests


def curl_floor(url, binary, devnet):
    """The dataset queries of the devnet, fetched with curl, 4 in flight; returns (seconds, bytes, requests)."""
    requests = fetch_requests(binary, devnet)

    def one(params):
        # The body goes to /dev/null: the floor is the server's work and the
        # transfer, not this script reading a pipe. Returns the bytes received.
        args = urllib.parse.urlencode(params)
        r = subprocess.run(["curl", "-sS", "--fail", "--compressed", "-o", "/dev/null", "-w", "%{size_download}",
                            f"{url}/api/v1/query_range?{args}"], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"curl failed on {params}: {r.stderr}")
        return int(r.stdout)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        total = sum(pool.map(one, requests))
    return time.perf_counter() - t0, total, len(requests)


BLOCK_S = 7200  # promtool's block length: it re-reads its whole input once per block


def split_openmetrics(path, out_dir):
    """Splits an OpenMetrics file into one file per 2-hour block window.

    promtool 2.42 has no --max-block-duration for openmetrics and parses the
    whole input once per 2 h block, so 7 days in one file is read 84 times;
    split, every sample is parsed once. Families stay contiguous and every
    file ends with `# EOF`, as the format requires. Returns the file paths."""
    files, headers, written = {}, [], {}
    family = None
    with open(path) as src:
        for line in src:
            if line.startswith("#"):
                if line.startswith("# EOF"):
                    continue
                name = line.split(" ", 3)[2]
                if name != family:
                    family, headers = name, []
                headers.append(line)
                continue
            window = int(float(line.rsplit(" ", 1)[1])) // BLOCK_S
            f = files.get(window)
            if f is None:
                f = files[window] = open(os.path.join(out_dir, f"w{window}.om"), "w")
            if written.get(window) is not family:
                written[window] = family
                f.writelines(headers)
            f.write(line)
    for f in files.values():
        f.write("# EOF\n")
        f.close()
    return [f.name for f in files.values()]


def prepare(binary, d, hours, clients):
    """Simulates one iteration and backfills it into d/tsdb; reuses d when it holds that size already."""
    meta_path = os.path.join(d, "prepared.json")
    if os.path.exists(meta_path):
        meta = json.load(open(meta_path))
        if (meta["hours"], meta["clients"]) == (hours, clients):
            return meta
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    om = os.path.join(d, "sim.om")
    end = int(time.time()) - 3600
    sim_s, _, _ = timed([binary, "simulate", "--openmetrics", om, "--iterations", "1", "--hours", str(hours),
                         "--clients", str(clients), "--seed", "3", "--end", str(end)])
    samples = sum(1 for line in open(om) if line and line[0] != "#")
    parts = os.path.join(d, "parts")
    os.makedirs(parts)
    t0 = time.perf_counter()
    files = split_openmetrics(om, parts)
    os.remove(om)

    def backfill(f):
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "-q", f, os.path.join(d, "tsdb")],
                       check=True, capture_output=True)
        os.remove(f)

    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        list(pool.map(backfill, files))
    os.rmdir(parts)
    meta = dict(hours=hours, clients=clients, end=end, samples=samples, simulate_s=sim_s,
                backfill_s=time.perf_counter() - t0)
    json.dump(meta, open(meta_path, "w"))
    return meta


def page_open_ms(page):
    """Milliseconds from navigation to every chart drawn, in headless Chromium
    (the page's data-charts-ms); a fresh profile each time. The charts are
    drawn once their data is inflated, after the load event: the virtual time
    budget lets --dump-dom wait for them."""
    import tempfile
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=10000",
                            "--dump-dom", f"file://{page}"],
                           capture_output=True, text=True, timeout=120)
    m = re.search(r'data-charts-ms="(\d+)"', r.stdout)
    errors = re.search(r'data-chart-errors="(\d+)"', r.stdout)
    if not m or not errors or errors.group(1) != "0":
        sys.exit(f"the page did not draw its charts: {page}")
    return int(m.group(1))


def received_bytes(fetch_stderr):
    """Bytes on the wire from fetch's summary line: "... received 12.3 MB in 33 responses ..."."""
    m = re.search(r"received ([0-9.]+) (B|kB|MB|GB) in", fetch_stderr)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[m.group(2)]  # SI units


def run_size(binary, work, hours, clients):
    d = os.path.join(work, f"{hours}x{clients}")
    meta = prepare(binary, d, hours, clients)
    end, samples, sim_s = meta["end"], meta["samples"], meta["simulate_s"]
    data, site = os.path.join(d, "data"), os.path.join(d, "site")
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    port = free_port()
    cfg = os.path.join(d, "prom.yml")
    open(cfg, "w").write("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    prom = subprocess.Popen(["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={d}/tsdb",
                             f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=100y"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if subprocess.run(["curl", "-sf", f"{url}/-/ready"], capture_output=True).returncode == 0:
                break
            time.sleep(0.2)
        lo = datetime.fromtimestamp(end - hours * 3600 - 3600, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        hi = datetime.fromtimestamp(end + 600, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        subprocess.run([binary, "detect", "--prometheus-url", url, "--start", lo, "--end", hi, "--data-dir", data],
                       check=True, capture_output=True)
        devnet = json.load(open(os.path.join(data, "devnets.json")))["devnets"][-1]
        curl_floor(url, binary, devnet)  # warm Prometheus' caches once for both
        curl_s, curl_bytes, nq = best_of(3, lambda: curl_floor(url, binary, devnet))
        fetch_s, fetch_rss, fetch_run = best_of(3, lambda: timed(
            [binary, "fetch", "--prometheus-url", url, "--devnet", "all", "--force", "--data-dir", data]))
        fetch_bytes = received_bytes(fetch_run.stderr)
    finally:
        prom.send_signal(signal.SIGTERM)
        prom.wait()
    render_s, render_rss, _ = best_of(3, lambda: timed(
        [binary, "render", "--devnet", devnet["id"], "--force", "--out", site, "--data-dir", data]))
    summary_s, _, _ = best_of(3, lambda: timed(
        [binary, "summary", "--devnet", devnet["id"], "--format", "json", "--data-dir", data]))
    page_path = os.path.join(site, devnet["id"], "networking.html")
    page = os.path.getsize(page_path)
    open_ms = min(page_open_ms(os.path.abspath(page_path)) for _ in range(3))
    manifest = json.load(open(os.path.join(data, "manifest.json")))
    rows = sum(r["row_count"] for r in manifest["devnets"][devnet["id"]]["datasets"].values())
    archive = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(os.path.join(data, devnet["id"]))
                  for f in fs)
    return dict(hours=hours, clients=clients, samples=samples, simulate_s=sim_s,
                prepare_s=meta["simulate_s"] + meta["backfill_s"], queries=nq,
                curl_s=curl_s, curl_bytes=curl_bytes, fetch_s=fetch_s, fetch_rss=fetch_rss, fetch_bytes=fetch_bytes,
                render_s=render_s, render_rss=render_rss, page_bytes=page, open_ms=open_ms, archive_bytes=archive, rows=rows,
                summary_s=summary_s)


def svg_plot(rows, path):
    """A log-log plot of wall time against samples for fetch, curl, render, summary."""
    import math
    series = [("fetch", "fetch_s", "#1f77b4"), ("curl floor", "curl_s", "#7f7f7f"),
              ("render", "render_s", "#d62728"), ("summary", "summary_s", "#2ca02c")]
    xs = [r["samples"] for r in rows]
    ys = [r[k] for r in rows for _, k, _ in series]
    x0, x1 = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1
    y0, y1 = math.log10(max(min(ys), 1e-3)) - 0.2, math.log10(max(ys)) + 0.2
    W, H, m = 640, 400, 60
    px = lambda x: m + (math.log10(x) - x0) / (x1 - x0) * (W - 2 * m)
    py = lambda y: H - m - (math.log10(max(y, 1e-3)) - y0) / (y1 - y0) * (H - 2 * m)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W/2}" y="20" text-anchor="middle" font-size="14">leanscope cost against samples (log-log)</text>',
           f'<text x="{W/2}" y="{H-15}" text-anchor="middle">samples in the devnet (15 s scrapes)</text>',
           f'<text x="15" y="{H/2}" transform="rotate(-90 15 {H/2})" text-anchor="middle">seconds</text>',
           f'<line x1="{m}" y1="{H-m}" x2="{W-m}" y2="{H-m}" stroke="black"/>',
           f'<line x1="{m}" y1="{m}" x2="{m}" y2="{H-m}" stroke="black"/>']
    for e in range(math.ceil(y0), math.floor(y1) + 1):
        out.append(f'<text x="{m-5}" y="{py(10**e)+4}" text-anchor="end">{10**e:g}</text>')
    for e in range(math.ceil(x0), math.floor(x1) + 1):
        out.append(f'<text x="{px(10**e)}" y="{H-m+15}" text-anchor="middle">1e{e}</text>')
    order = sorted(range(len(rows)), key=lambda i: xs[i])
    # Dotted guides: cost proportional to samples, through each stage's largest size.
    big = order[-1]
    for _, key, color in series:
        k = rows[big][key] / xs[big]
        lo_x = max(10 ** x0, 10 ** y0 / k)
        out.append(f'<line x1="{px(lo_x):.1f}" y1="{py(k * lo_x):.1f}" x2="{px(xs[big]):.1f}" '
                   f'y2="{py(rows[big][key]):.1f}" stroke="{color}" stroke-dasharray="3,4" stroke-width="1"/>')
    out.append(f'<text x="{W-m}" y="{H-m-8}" text-anchor="end" fill="#555">dotted: linear in samples</text>')
    for n, (label, key, color) in enumerate(series):
        pts = " ".join(f"{px(xs[i]):.1f},{py(rows[i][key]):.1f}" for i in order)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"/>')
        out += [f'<circle cx="{px(xs[i]):.1f}" cy="{py(rows[i][key]):.1f}" r="3" fill="{color}"/>' for i in order]
        out.append(f'<text x="{m+10}" y="{m+15*n}" fill="{color}">{label}</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("out")
    ap.add_argument("--sizes", default="1x6,24x6,24x16")
    ap.add_argument("--keep", action="store_true", help="keep the prepared TSDBs; a later run reuses them")
    a = ap.parse_args()
    work = os.path.join(a.out, "e2e-work")
    os.makedirs(work, exist_ok=True)
    # The floor of a page's open time: Chromium navigating to a blank page
    # whose only script reports the time, as the networking page does.
    blank = os.path.join(work, "blank.html")
    open(blank, "w").write("<!doctype html><body><script>document.body.setAttribute('data-chart-errors','0');"
                           "document.body.setAttribute('data-charts-ms',String(Math.round(performance.now())));"
                           "</script></body>")
    blank_ms = min(page_open_ms(os.path.abspath(blank)) for _ in range(3))
    rows = []
    for size in a.sizes.split(","):
        h, c = (int(x) for x in size.split("x"))
        r = run_size(os.path.abspath(a.binary), work, h, c)
        rows.append(r)
        print(json.dumps(r), flush=True)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    # Decoded size of the archive in memory: timestamp and value (16 bytes) plus
    # a 4-byte dictionary code for each of up to 5 string columns: 36 bytes a row.
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) / 2**20
    version = subprocess.run([a.binary, "--version"], capture_output=True, text=True).stdout.strip()
    head = [f"Machine: {cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; {version}; "
            f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}.", ""]
    lines = ["| devnet | samples | fetch s | curl floor s | fetch / curl | fetch received MB | curl received MB | fetch RSS MiB | "
             "archive rows | archive MB | decoded MiB | render s | render RSS MiB | page KB | page open ms | summary s |",
             "|" + "---|" * 16]
    for r in rows:
        lines.append(f"| {r['hours']} h × {r['clients']} clients | {r['samples']:,} | {r['fetch_s']:.2f} | "
                     f"{r['curl_s']:.2f} | {r['fetch_s']/r['curl_s']:.2f} | {r['fetch_bytes']/1e6:.2f} | {r['curl_bytes']/1e6:.2f} | "
                     f"{r['fetch_rss']:.0f} | "
                     f"{r['rows']:,} | {r['archive_bytes']/1e6:.2f} | {r['rows']*36/2**20:.1f} | {r['render_s']:.3f} | {r['render_rss']:.0f} | "
                     f"{r['page_bytes']/1024:.0f} | {r['open_ms']} | {r['summary_s']:.3f} |")
    # Linearity: cost per million samples stays flat once fixed per-process costs are small.
    lines += ["", "Cost per million samples:", "",
              "| devnet | prepare s (simulate + promtool) | fetch s/M | curl s/M | render ms/M | render RSS / decoded | summary ms/M |",
              "|" + "---|" * 7]
    for r in rows:
        m = r["samples"] / 1e6
        lines.append(f"| {r['hours']} h × {r['clients']} clients | {r['prepare_s']:.1f} | {r['fetch_s']/m:.3f} | "
                     f"{r['curl_s']/m:.3f} | {r['render_s']*1e3/m:.1f} | {r['render_rss']/(r['rows']*36/2**20):.1f} | "
                     f"{r['summary_s']*1e3/m:.1f} |")
    lines = head + [f"Page open: headless Chromium, navigation to every chart drawn; a blank page takes {blank_ms} ms.", ""] + lines
    open(os.path.join(a.out, "e2e.md"), "w").write("\n".join(lines) + "\n")
    svg_plot(rows, os.path.join(a.out, "e2e.svg"))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
