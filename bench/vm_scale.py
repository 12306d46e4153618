#!/usr/bin/env python3
"""fetch of a simulated devnet from a real VictoriaMetrics against the curl floor.

usage: bench/vm_scale.py BINARY OUT_DIR [--size 720x64] [--every 1] [--runs 3]
                         [--end 2026-11-20T00:00:00Z] [--vm-flag -search.X=Y ...] [--keep]
                         [--url http://127.0.0.1:PORT] [--baseline OTHER_BINARY]

Starts VictoriaMetrics (Debian package victoria-metrics) on a free loopback
port with its storage in OUT_DIR/vm-work, streams one simulated iteration of
HOURSxCLIENTS into it (`simulate --vm-import -` piped into curl, never a
file), waits until every series is searchable and the storage's merges are
done, then runs detect and, alternately, RUNS times each:
  - `fetch --devnet all --force` under /usr/bin/time (wall, peak RSS);
  - the curl floor: the same query_range requests (bench/e2e.py's
    fetch_requests: chunks of 11,000 points, nocache=1), 4 in flight,
    bodies to /dev/null.
The load average is read before and after every run; each run records the
CPU seconds of the client (fetch, or the curl processes) and of the server
(its process_cpu_seconds_total) besides the wall time. Writes
OUT_DIR/vm_scale.json and a Markdown table row; stops VictoriaMetrics and
deletes its storage unless --keep. Run it under `nice`.

--url times against a server already loaded with the same simulated
iteration (same --size, --every, --seed, --end), skipping start, load and
settle: a month takes 8-14 minutes to load. --baseline times a second
binary's fetch too, in the same rounds (curl, fetch, baseline's fetch).
"""
import argparse, json, os, re, resource, shutil, signal, subprocess, sys, time, urllib.parse, urllib.request
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import curl_floor, free_port, received_bytes, timed  # noqa: E402


def get(url, timeout=60):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def metric_sum(metrics_text, name, labels=""):
    """The sum of a metric's samples on VictoriaMetrics' /metrics page (those with `labels` in their text)."""
    total = 0.0
    for line in metrics_text.splitlines():
        if not line.startswith("#") and re.split(r"[{ ]", line, 1)[0] == name and labels in line:
            total += float(line.split()[-1])
    return total


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def cpu_of(run, url):
    """Runs run(); returns (its result, CPU seconds of the processes it started and waited for, the
    server's CPU seconds meanwhile). The wall time moves with the machine; the client's CPU does not,
    and the server's says how much of the round was the server."""
    def server():
        return metric_sum(get(f"{url}/metrics"), "process_cpu_seconds_total")

    def children():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    c0, s0 = children(), server()
    out = run()
    return out, children() - c0, server() - s0


def load(binary, url, hours, clients, every, seed, end):
    """Streams the simulated devnet into the server; returns (seconds, samples, series, text bytes)."""
    sim = subprocess.Popen([binary, "simulate", "--vm-import", "-", "--vm-import-every", str(every), "--clients",
                            str(clients), "--hours", str(hours), "--iterations", "1", "--seed", str(seed), "--end", end],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # -T - streams the body (chunked); --data-binary @- would read all of it into memory first.
    post = subprocess.Popen(["curl", "-sS", "--fail", "-X", "POST", "-T", "-", "-H", "Content-Type: application/json",
                             f"{url}/api/v1/import"], stdin=sim.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    t0 = time.perf_counter()
    sim.stdout.close()
    post_out, post_err = post.communicate()
    sim_err = sim.stderr.read().decode()
    sim.wait()
    seconds = time.perf_counter() - t0
    if sim.returncode != 0 or post.returncode != 0:
        sys.exit(f"loading failed: simulate {sim.returncode} {sim_err[-1000:]}; curl {post.returncode} {post_err[-1000:]}")
    m = re.search(r"wrote (\d+) samples of (\d+) series in \d+ lines \(([0-9.]+) (B|kB|MB|GB)\)", sim_err)
    if not m:
        sys.exit(f"no summary from simulate: {sim_err}")
    text_bytes = float(m.group(3)) * {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[m.group(4)]
    return seconds, int(m.group(1)), int(m.group(2)), text_bytes


def wait_searchable(url, samples, series, first_s, last_s):
    """Until the server has taken every sample, shows every series and has no merge running; seconds waited."""
    t0 = time.perf_counter()
    args = urllib.parse.urlencode({"match[]": '{__name__!=""}', "start": first_s, "end": last_s})
    while True:
        get(f"{url}/internal/force_flush")
        metrics = get(f"{url}/metrics")
        inserted = metric_sum(metrics, "vm_rows_inserted_total", 'type="vmimport"')
        invalid = metric_sum(metrics, "vm_rows_invalid_total", 'type="vmimport"')
        if invalid:
            sys.exit(f"VictoriaMetrics refused {invalid:.0f} rows (see its log)")
        found = len(json.loads(get(f"{url}/api/v1/series?{args}", timeout=300))["data"])
        merges = metric_sum(metrics, "vm_active_merges")
        if inserted >= samples and found == series and merges == 0:
            return time.perf_counter() - t0
        if time.perf_counter() - t0 > 3600:
            sys.exit(f"not searchable after an hour: {inserted:.0f}/{samples} rows, {found}/{series} series")
        time.sleep(2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("out")
    ap.add_argument("--size", default="720x64", help="HOURSxCLIENTS of the one iteration")
    ap.add_argument("--every", type=int, default=1, help="simulate --vm-import-every: 4 keeps one sample a minute")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--end", default="2026-11-20T00:00:00Z", help="when the iteration ends (fixed: same data each time)")
    ap.add_argument("--vm-flag", action="append", default=[], help="an extra VictoriaMetrics flag, e.g. -search.maxQueryDuration=5m")
    ap.add_argument("--keep", action="store_true", help="keep the storage and the archive")
    ap.add_argument("--url", help="a VictoriaMetrics already loaded with this iteration: no start, load or stop")
    ap.add_argument("--baseline", help="another leanscope binary whose fetch is timed in the same rounds")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    hours, clients = (int(x) for x in a.size.split("x"))
    work = os.path.join(os.path.abspath(a.out), f"vm-work-{a.size}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data = os.path.join(work, "data")
    vm = None
    if a.url:
        url = a.url.rstrip("/")
    else:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        vm_args = ["victoria-metrics", f"-storageDataPath={work}/vmdata", f"-httpListenAddr=127.0.0.1:{port}",
                   "-retentionPeriod=100y"] + a.vm_flag
        log = open(os.path.join(work, "victoria-metrics.log"), "w")
        vm = subprocess.Popen(vm_args, stdout=log, stderr=subprocess.STDOUT)
    result = dict(size=a.size, hours=hours, clients=clients, every=a.every, vm_flags=a.vm_flag,
                  date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    end_s = int(datetime.fromisoformat(a.end.replace("Z", "+00:00")).timestamp())
    first_s = end_s - hours * 3600 - 3600
    try:
        for _ in range(300):
            try:
                if get(f"{url}/health", timeout=2).strip() == "OK":
                    break
            except OSError:
                time.sleep(0.2)
        result["load_before"] = loadavg()
        if vm is not None:
            load_s, samples, series, text_bytes = load(binary, url, hours, clients, a.every, a.seed, a.end)
            settle_s = wait_searchable(url, samples, series, first_s, end_s + 600)
            result.update(load_s=load_s, settle_s=settle_s, samples=samples, series=series, text_bytes=text_bytes,
                          load_after=loadavg())
        print(json.dumps(result), flush=True)
        lo = datetime.fromtimestamp(first_s, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        hi = datetime.fromtimestamp(end_s + 600, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        subprocess.run([binary, "detect", "--prometheus-url", url, "--start", lo, "--end", hi, "--data-dir", data],
                       check=True, capture_output=True)
        if a.baseline:  # the same devnets, fetched into a folder of its own
            os.makedirs(data + "-baseline", exist_ok=True)
            shutil.copy(os.path.join(data, "devnets.json"), data + "-baseline")
        devnet = json.load(open(os.path.join(data, "devnets.json")))["devnets"][-1]
        result["devnet"] = devnet["id"]
        curl_floor(url, binary, devnet)  # once before the runs, as e2e.py does, for both
        runs = []
        for i in range(a.runs):
            before = loadavg()
            (curl_s, curl_bytes, requests), curl_cpu, curl_server_cpu = cpu_of(
                lambda: curl_floor(url, binary, devnet), url)
            mid = loadavg()
            (fetch_s, fetch_rss, fetch_run), fetch_cpu, fetch_server_cpu = cpu_of(
                lambda: timed([binary, "fetch", "--prometheus-url", url, "--devnet", "all", "--force", "--data-dir",
                               data]), url)
            summary = [l for l in fetch_run.stderr.splitlines() if "received" in l]
            run = dict(curl_s=curl_s, curl_bytes=curl_bytes, requests=requests, fetch_s=fetch_s, fetch_rss=fetch_rss,
                       fetch_bytes=received_bytes(fetch_run.stderr), fetch_summary=summary[-1] if summary else "",
                       curl_cpu_s=curl_cpu, curl_server_cpu_s=curl_server_cpu, fetch_cpu_s=fetch_cpu,
                       fetch_server_cpu_s=fetch_server_cpu,
                       load_before_curl=before, load_before_fetch=mid, load_after=loadavg())
            if " 0 failed" not in fetch_run.stderr:
                sys.exit(f"fetch failed datasets:\n{fetch_run.stderr[-3000:]}")
            if a.baseline:
                (base_s, base_rss, base_run), base_cpu, base_server_cpu = cpu_of(
                    lambda: timed([os.path.abspath(a.baseline), "fetch", "--prometheus-url", url, "--devnet", "all",
                                   "--force", "--data-dir", data + "-baseline"]), url)
                if " 0 failed" not in base_run.stderr:
                    sys.exit(f"the baseline's fetch failed datasets:\n{base_run.stderr[-3000:]}")
                run.update(baseline_s=base_s, baseline_rss=base_rss, baseline_cpu_s=base_cpu,
                           baseline_server_cpu_s=base_server_cpu, load_after_baseline=loadavg())
            runs.append(run)
            print(json.dumps(run), flush=True)
        result["runs"] = runs
        manifest = json.load(open(os.path.join(data, "manifest.json")))
        result["rows"] = sum(r["row_count"] for r in manifest["devnets"][devnet["id"]]["datasets"].values())
        result["archive_bytes"] = sum(os.path.getsize(os.path.join(dp, f))
                                      for dp, _, fs in os.walk(os.path.join(data, devnet["id"])) for f in fs)
        result["archive_du"] = subprocess.run(["du", "-sh", os.path.join(data, devnet["id"])], capture_output=True,
                                              text=True).stdout.split()[0]
        if vm is not None:
            result["storage_du"] = subprocess.run(["du", "-sh", f"{work}/vmdata"], capture_output=True,
                                                  text=True).stdout.split()[0]
    finally:
        if vm is not None:
            vm.send_signal(signal.SIGINT)
            try:
                vm.wait(timeout=120)
            except subprocess.TimeoutExpired:
                vm.kill()
                vm.wait()
            log.close()
    json.dump(result, open(os.path.join(a.out, f"vm_scale-{a.size}.json"), "w"), indent=1)
    best_fetch = min(r["fetch_s"] for r in runs)
    best_curl = min(r["curl_s"] for r in runs)
    fb = min(runs, key=lambda r: r["fetch_s"])
    samples, load_s = result.get("samples"), result.get("load_s")
    samples_text = f"{samples:,}" if samples else "(loaded before)"
    load_text = f"{load_s:.0f}" if load_s else "-"
    if a.baseline:
        best_base = min(r["baseline_s"] for r in runs)
        print(f"baseline fetch best {best_base:.2f} s = {best_base / best_curl:.2f}x the curl floor; "
              f"this binary {best_fetch:.2f} s = {best_fetch / best_curl:.2f}x")
    print("| devnet | samples loaded | load s | fetch s | curl floor s | fetch / curl | fetch received MB | "
          "curl received MB | fetch peak RSS MiB | archive rows | archive MB |")
    print(f"| {hours} h × {clients} clients | {samples_text} | {load_text} | {best_fetch:.2f} | {best_curl:.2f} | "
          f"{best_fetch / best_curl:.2f} | {fb['fetch_bytes'] / 1e6:.1f} | {runs[0]['curl_bytes'] / 1e6:.1f} | "
          f"{fb['fetch_rss']:.0f} | {result['rows']:,} | {result['archive_bytes'] / 1e6:.1f} |")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
