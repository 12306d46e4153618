#!/usr/bin/env python3
"""A `leanscope watch` cycle on a long running devnet that gained one minute of data.

usage: bench/watch_cycle.py BINARY OUT_DIR [--hours 24] [--clients 16] [--minutes 3] [--interval 15] [--keep]

Simulates one devnet iteration of HOURS x CLIENTS ending a minute ago and
loads all of it but the last MINUTES minutes into a real VictoriaMetrics
(single node, import API) on a free loopback port. Then one watch process
runs MINUTES + 1 cycles, --interval seconds apart, serving the site: the
first cycle archives and renders the devnet whole; before each later cycle
the script imports the devnet's next minute, so each later cycle is the
steady state of a running devnet: detect, fetch of the tail, render of the
devnet's pages, the index and compare. Each cycle's line on stderr gives its
steps' seconds (detect, fetch, render) and its total.

The baseline, in the same run on the same data: `fetch --devnet ID --force`
and `render --devnet ID --force` (separate processes, best of 3), the whole
devnet fetched and rendered again as without watch.

Writes OUT_DIR/watch_cycle.md and prints it. Nothing here asserts a time.
With --keep, VictoriaMetrics' storage (OUT_DIR/vmdata, all minutes imported)
stays for profiling: `victoria-metrics -storageDataPath=OUT_DIR/vmdata`.
"""
import argparse, json, os, re, resource, shutil, signal, socket, subprocess, sys, time, urllib.parse, urllib.request
from datetime import datetime, timezone


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def get(url, data=None, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=300) as r:
        return r.read()


def split_minutes(om_path, out_dir, end_s, minutes):
    """The OpenMetrics file as Prometheus text with millisecond timestamps:
    out_dir/initial.prom (samples up to end - MINUTES min) and one file a
    minute after that (minute1.prom ... minuteN.prom). Returns (paths, samples, series)."""
    cut = [end_s - (minutes - k) * 60 for k in range(minutes + 1)]  # cut[0]: end of the initial part
    paths = [os.path.join(out_dir, "initial.prom")] + [os.path.join(out_dir, f"minute{k}.prom")
                                                        for k in range(1, minutes + 1)]
    files = [open(p, "w") for p in paths]
    samples, series = 0, set()
    with open(om_path) as src:
        for line in src:
            if line[0] == "#":
                continue
            head, stamp = line.rstrip("\n").rsplit(" ", 1)
            t = float(stamp)
            part = 0
            while part < minutes and t > cut[part]:
                part += 1
            if t > cut[-1]:
                continue
            sec, _, frac = stamp.partition(".")
            files[part].write(f"{head} {sec}{(frac + '000')[:3]}\n")
            samples += 1
            series.add(head.rsplit(" ", 1)[0])
    for f in files:
        f.close()
    return paths, samples, len(series)


def vm_import(url, path):
    with open(path, "rb") as f:  # streamed: a day of 16 clients is over a GB of text
        get(f"{url}/api/v1/import/prometheus", f, {"Content-Length": str(os.path.getsize(path))})
    get(f"{url}/internal/force_flush")
    # Rollup results of the last minutes may be cached from before the import.
    get(f"{url}/internal/resetRollupResultCache")


def vm_wait_series(url, want, start_s, end_s):
    """Imported rows are searchable once flushed: wait until every series is."""
    q = urllib.parse.urlencode({"match[]": '{__name__!=""}', "start": start_s - 1, "end": end_s + 1})
    for _ in range(300):
        get(f"{url}/internal/force_flush")
        if len(json.loads(get(f"{url}/api/v1/series?{q}"))["data"]) >= want:
            return
        time.sleep(0.2)
    sys.exit("VictoriaMetrics did not show every imported series")


def timed(cmd):
    """Runs cmd; returns (wall seconds, CPU seconds: user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def cpu_seconds(pid):
    """User + system CPU seconds a running process has used so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CYCLE = re.compile(r"^watch: (\S+) is running .*?\(([0-9.]+) s; detect ([0-9.]+) s, fetch ([0-9.]+) s, "
                   r"render ([0-9.]+) s\)$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("out")
    ap.add_argument("--hours", type=float, default=24)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--minutes", type=int, default=3, help="cycles after the first, one new minute before each")
    ap.add_argument("--interval", type=float, default=15, help="watch --interval: room for a cycle and an import")
    ap.add_argument("--keep", action="store_true", help="keep OUT_DIR/vmdata for profiling")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(a.out)
    load_before = os.getloadavg()

    end = int(time.time()) // 60 * 60 - 60
    om = os.path.join(a.out, "sim.om")
    subprocess.run([binary, "simulate", "--openmetrics", om, "--iterations", "1", "--hours", str(a.hours),
                    "--clients", str(a.clients), "--seed", "3", "--end", str(end)], check=True, capture_output=True)
    paths, samples, series = split_minutes(om, a.out, end, a.minutes)
    os.remove(om)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    vm_log = open(os.path.join(a.out, "victoria-metrics.log"), "w")
    vm = subprocess.Popen(["victoria-metrics", f"-storageDataPath={a.out}/vmdata", f"-httpListenAddr=127.0.0.1:{port}",
                           "-retentionPeriod=100y"], stdout=vm_log, stderr=subprocess.STDOUT)
    data, site = os.path.join(a.out, "data"), os.path.join(a.out, "site")
    cycles = []
    try:
        for _ in range(300):
            try:
                get(f"{url}/health")
                break
            except OSError:
                time.sleep(0.2)
        vm_import(url, paths[0])
        vm_wait_series(url, series, end - int(a.hours * 3600), end)

        watch = subprocess.Popen([binary, "watch", "--interval", str(a.interval), "--cycles", str(a.minutes + 1),
                                  "--port", "0", "--stale-after", "30", "--prometheus-url", url, "--data-dir", data,
                                  "--out", site], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        log = []
        cpu = 0.0
        for line in watch.stderr:
            log.append(line)
            m = CYCLE.match(line.strip())
            if not m:
                continue
            # Between cycles watch only waits: the CPU it used since the last line is this cycle's.
            used = cpu_seconds(watch.pid)
            cycles.append(dict(devnet=m.group(1), total=float(m.group(2)), detect=float(m.group(3)),
                               fetch=float(m.group(4)), render=float(m.group(5)), cpu=used - cpu))
            cpu = used
            if len(cycles) <= a.minutes:  # the next minute reaches the server before the next cycle
                vm_import(url, paths[len(cycles)])
        if watch.wait() != 0 or len(cycles) != a.minutes + 1:
            sys.exit("watch failed or a cycle found no running devnet:\n" + "".join(log[-20:]))
        devnet = cycles[0]["devnet"]
        fetch_s, fetch_cpu = min(timed([binary, "fetch", "--prometheus-url", url, "--devnet", devnet, "--force",
                                        "--data-dir", data]) for _ in range(3))
    finally:
        vm.send_signal(signal.SIGTERM)
        vm.wait()
    render_s, render_cpu = min(timed([binary, "render", "--devnet", devnet, "--force", "--out", site,
                                      "--data-dir", data]) for _ in range(3))
    load_after = os.getloadavg()
    manifest = json.load(open(os.path.join(data, "manifest.json")))
    rows = sum(r["row_count"] for r in manifest["devnets"][devnet]["datasets"].values())
    if not a.keep:
        shutil.rmtree(os.path.join(a.out, "vmdata"), ignore_errors=True)
    for p in paths:
        os.remove(p)

    later = cycles[1:]
    best = min(later, key=lambda c: c["total"])
    median = sorted(c["total"] for c in later)[len(later) // 2]
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    fmt_load = lambda l: ", ".join(f"{x:.2f}" for x in l)
    lines = [f"Machine: {cpu_model}, {os.cpu_count()} cores; {version}; "
             f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; load average {fmt_load(load_before)} "
             f"before, {fmt_load(load_after)} after.", "",
             f"{a.hours:g} h x {a.clients} clients: {samples:,} samples, {rows:,} archive rows; VictoriaMetrics "
             f"(import API), one new minute before each of {len(later)} cycles.", "",
             "| cycle | detect s | fetch s | render s | cycle s (all steps) | cycle CPU s |", "|---|---|---|---|---|---|"]
    for n, c in enumerate(cycles):
        lines.append(f"| {'first (the whole devnet)' if n == 0 else f'+{n} min'} | {c['detect']:.3f} | "
                     f"{c['fetch']:.3f} | {c['render']:.3f} | {c['total']:.3f} | {c['cpu']:.2f} |")
    lines += ["", "| | fetch s | render s | fetch + render s | CPU s |", "|---|---|---|---|---|",
              f"| watch cycle, one new minute (fastest of {len(later)}) | {best['fetch']:.3f} | {best['render']:.3f} | "
              f"{best['fetch'] + best['render']:.3f} | {best['cpu']:.2f} (whole cycle) |",
              f"| baseline: `fetch --force` + `render --force` of the devnet (best of 3 each) | {fetch_s:.3f} | "
              f"{render_s:.3f} | {fetch_s + render_s:.3f} | {fetch_cpu + render_cpu:.2f} |",
              f"| ratio cycle / baseline | {best['fetch'] / fetch_s:.2f} | {best['render'] / render_s:.2f} | "
              f"{(best['fetch'] + best['render']) / (fetch_s + render_s):.2f} | "
              f"{best['cpu'] / (fetch_cpu + render_cpu):.2f} |", "",
              f"Whole cycle with one new minute (detect and version files included): fastest {best['total']:.3f} s, "
              f"median {median:.3f} s."]
    open(os.path.join(a.out, "watch_cycle.md"), "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
