#!/usr/bin/env bash
# Runs plain eager PyTorch (bench/pytorch_train.py) and `cambench bench train` back to back on the
# same net, batch and threads, and prints each pair's training throughput and their ratio.
#   bench/compare.sh [--models "resnet20 resnet56 wrn_16_4"] [--classes 100] [--batch 128]
#                    [--threads 2] [--steps 30] [--rounds 1]
# Rounds alternate the two (PyTorch, cambench, PyTorch, ...) so background load hits both alike;
# the ratio uses the medians. Needs Debian's python3-torch (installed with apt-get when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODELS="resnet20 resnet56 wrn_16_4"; CLASSES=100; BATCH=128; THREADS=2; STEPS=30; ROUNDS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS="$2";; --classes) CLASSES="$2";; --batch) BATCH="$2";;
    --threads) THREADS="$2";; --steps) STEPS="$2";; --rounds) ROUNDS="$2";;
    *) echo "compare.sh: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
  shift 2
done
PY=/usr/bin/python3   # Debian's interpreter: pyenv's python3 may come first on PATH and has no torch
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "compare.sh: installing python3-torch (Debian) ..." >&2
  apt-get install -y -qq python3-torch >/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null; }
fi
"$ROOT/cambench" --version >/dev/null 2>&1 || true   # builds on first use, outside the timings

field() { "$PY" -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }
median() { "$PY" -c "import statistics,sys; print(statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }

printf '%-10s %14s %14s %7s\n' model pytorch_img_s cambench_img_s ratio
for m in $MODELS; do
  pt=(); cb=()
  for ((r = 0; r < ROUNDS; r++)); do
    pt+=("$("$PY" "$ROOT/bench/pytorch_train.py" --model "$m" --classes "$CLASSES" --batch "$BATCH" \
        --threads "$THREADS" --steps "$STEPS" | field train_images_per_s)")
    cb+=("$("$ROOT/cambench" bench train --model "$m" --classes "$CLASSES" --batch "$BATCH" \
        --threads "$THREADS" --steps "$STEPS" --json | field train_images_per_s)")
  done
  p=$(median "${pt[@]}"); c=$(median "${cb[@]}")
  "$PY" -c "import sys; p,c=float(sys.argv[2]),float(sys.argv[3]); print('%-10s %14.1f %14.1f %6.2fx' % (sys.argv[1], p, c, c/p))" "$m" "$p" "$c"
done
