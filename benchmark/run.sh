#!/usr/bin/env bash
# jnvmet benchmark: target JVM pinned to one CPU, Java NVMe/TCP load generator pinned to another.
# Usage: benchmark/run.sh [--build] [options]   (benchmark/run.sh --help for the options; see benchmark/README.md)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
HOST_CPU=1
TARGET_CPU=0
BUILD=0
IPERF3=1
MAIN=org.jnvmet.benchmark.LoadGenerator
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=1; shift ;;
    --accounting-cost) MAIN=org.jnvmet.benchmark.AccountingCost; shift ;;
    --host-cpu) HOST_CPU=$2; ARGS+=("$1" "$2"); shift 2 ;;
    --target-cpu) TARGET_CPU=$2; ARGS+=("$1" "$2"); shift 2 ;;
    --no-iperf3) IPERF3=0; ARGS+=("$1"); shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

if [[ $BUILD == 1 || ! -d "$HERE/target/lib" || ! -d "$HERE/target/classes/org/jnvmet/benchmark" ]]; then
  echo "building the benchmark module ..." >&2
  (cd "$ROOT" && mvn -o -q -B install -DskipTests -pl benchmark -am)
fi

# iperf3 gives the loopback figure the anchors were measured with; optional (the Java blast always runs)
if [[ $MAIN == *LoadGenerator && $IPERF3 == 1 ]] && ! command -v iperf3 >/dev/null 2>&1 && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "installing iperf3 ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  timeout 120 apt-get install -y -qq iperf3 >/dev/null 2>&1 \
    || { timeout 120 apt-get update -qq >/dev/null 2>&1 && timeout 120 apt-get install -y -qq iperf3 >/dev/null 2>&1; } \
    || echo "iperf3 not installed; the Java socket blast stands alone" >&2
fi

PIN=()
if command -v taskset >/dev/null 2>&1 && [[ $HOST_CPU != none ]]; then
  PIN=(taskset -c "$HOST_CPU")
else
  echo "warning: running the load generator unpinned" >&2
fi

cd "$ROOT"
CP="$HERE/target/classes:$HERE/target/lib/*"
if [[ $MAIN == org.jnvmet.benchmark.AccountingCost ]]; then
  # the accounting work per I/O alone, on the target's CPU
  exec taskset -c "$TARGET_CPU" java -XX:+UseG1GC -cp "$CP" "$MAIN" "${ARGS[@]}"
fi
exec "${PIN[@]}" java -Xms512m -Xmx1g -Dio.netty.leakDetection.level=disabled \
  -cp "$CP" "$MAIN" \
  --target-cpu "$TARGET_CPU" --host-cpu "$HOST_CPU" "${ARGS[@]}"
