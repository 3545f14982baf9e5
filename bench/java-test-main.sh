#!/usr/bin/env bash
# Runs a main class of the harness test sources with the launcher's JVM flags and allocator
# (tcmalloc when installed, unless CAMBENCH_ALLOCATOR=glibc). Compile the tests first.
#   mvn -o -q -B test-compile
#   bench/java-test-main.sh cambench.harness.train.OptimizerStepBench resnet20 7 50
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/cambench" --version >/dev/null   # builds app/target/classpath.txt when needed
CP="$ROOT/harness/target/test-classes:$(cat "$ROOT/app/target/classpath.txt")"
for m in api results harness baselines protocols; do CP="$ROOT/$m/target/classes:$CP"; done
TC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if [ "${CAMBENCH_ALLOCATOR:-auto}" != glibc ] && [ -f "$TC" ]; then
  export LD_PRELOAD="$TC${LD_PRELOAD:+:$LD_PRELOAD}"
else
  export MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=68719476736
fi
exec java -Xmx4g -Xss4m -Dai.djl.offline=true -Dai.djl.pytorch.graph_optimizer=false \
  -DDJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/.cache/djl}" -Dcambench.repo="$ROOT" -cp "$CP" "$@"
