#!/usr/bin/env bash
# Installs everything leanscope builds, tests and runs with. Idempotent: on a
# ready machine it checks and returns in seconds, changing nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  clang clang-format clang-tidy libclang-rt-14-dev
  libcurl4-openssl-dev libsimdjson-dev libcli11-dev libfmt-dev
  libzstd-dev libsnappy-dev zlib1g-dev liblz4-dev libbrotli-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev
  prometheus victoria-metrics chromium nodejs npm python3 time
)

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

# Front-end assets (uPlot) and the DuckDB test oracle, pinned by package-lock.json.
if [[ ! -f web/node_modules/.package-lock.json ]] || ! cmp -s web/package-lock.json web/node_modules/.leanscope-lock; then
  echo "install-deps: npm ci in web/"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json web/node_modules/.leanscope-lock
fi
echo "install-deps: ready"
