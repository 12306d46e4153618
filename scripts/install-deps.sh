#!/usr/bin/env bash
# Installs what leanscope needs. Idempotent: on a ready machine it checks and
# returns in seconds, changing nothing.
#   --demo   what `make demo` needs: the build tools and libraries, Prometheus
#            (the demo's local server) and the npm package uplot
#   --test   (default) all of that plus the test, lint, fuzz and benchmark
#            tools, Chromium and the DuckDB test oracle (@duckdb/node-api)
# Packages come from the Debian archive (apt-get, with sudo unless root) and
# the npm registry (npm ci, pinned by web/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=test
case "${1:-}" in
  --demo) mode=demo ;;
  --test | "") mode=test ;;
  *)
    echo "usage: scripts/install-deps.sh [--demo|--test]" >&2
    exit 2
    ;;
esac

demo_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcurl4-openssl-dev libsimdjson-dev libcli11-dev libfmt-dev libtomlplusplus-dev
  libzstd-dev libsnappy-dev zlib1g-dev liblz4-dev libbrotli-dev libcpp-httplib-dev
  prometheus nodejs npm
)
test_packages=(
  clang clang-format clang-tidy libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev libexpat1-dev
  victoria-metrics chromium curl python3 time
)
packages=("${demo_packages[@]}")
[[ $mode == test ]] && packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# nodejs may come from elsewhere with its own npm; only ask for what is absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Debian packages start Prometheus and VictoriaMetrics services where an
# init system runs; leanscope never uses them (tests and the demo start their
# own on free ports with temporary storage).

# Front-end assets: uplot (a dependency, embedded at build time) for both
# modes; @duckdb/node-api (a devDependency, the tests' Parquet oracle) only
# for --test. One package-lock.json pins both; node_modules remembers which
# set it holds, and a test install also serves the demo.
lock_copy=web/node_modules/.leanscope-lock
installed_mode=$(cat web/node_modules/.leanscope-mode 2>/dev/null || true)
needs_install=false
if [[ ! -f web/node_modules/.package-lock.json ]] || ! cmp -s web/package-lock.json "$lock_copy"; then
  needs_install=true
elif [[ $mode == test && $installed_mode != test ]]; then
  needs_install=true
fi
if $needs_install; then
  if [[ $mode == demo ]]; then
    echo "install-deps: npm ci --omit=dev in web/ (uplot)"
    (cd web && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
  else
    echo "install-deps: npm ci in web/ (uplot, @duckdb/node-api)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  cp web/package-lock.json "$lock_copy"
  echo "$mode" > web/node_modules/.leanscope-mode
fi
echo "install-deps: ready ($mode)"
