#!/usr/bin/env bash
# Runs plain eager PyTorch (bench/pytorch_train.py) and `cambench bench train` back to back on the
# same net, batch, threads and warm-up, and prints each pair's training throughput and their ratio.
#   bench/compare.sh [--models "resnet20 resnet56 wrn_16_4"] [--classes 100] [--batch 128]
#                    [--threads 2] [--steps 40] [--warmup 40] [--rounds 1] [--objective ce]
# Rounds alternate the two (PyTorch, cambench, PyTorch, ...) so background load hits both alike;
# the ratio uses the medians. Both time steady state: the JVM needs ~30 steps (JIT compilation,
# allocator) before its step time settles, PyTorch reaches it at once, so both get --warmup steps.
# Needs Debian's python3-torch (installed with apt-get when missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MODELS="resnet20 resnet56 wrn_16_4"; CLASSES=100; BATCH=128; THREADS=2; STEPS=40; WARMUP=40; ROUNDS=1; OBJ=ce
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS="$2";; --classes) CLASSES="$2";; --batch) BATCH="$2";; --threads) THREADS="$2";;
    --steps) STEPS="$2";; --warmup) WARMUP="$2";; --rounds) ROUNDS="$2";; --objective) OBJ="$2";;
    *) echo "compare.sh: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
  shift 2
done
common=(--model "" --classes "$CLASSES" --batch "$BATCH" --threads "$THREADS" --steps "$STEPS" --warmup "$WARMUP")
printf '%-12s %14s %14s %8s\n' model pytorch_img_s cambench_img_s ratio
for m in $MODELS; do
  common[1]="$m"; pt=(); cb=()
  for ((r = 0; r < ROUNDS; r++)); do
    pt+=("$("$PY" "$ROOT/bench/pytorch_train.py" "${common[@]}" | field train_images_per_s)")
    cb+=("$("$ROOT/cambench" bench train "${common[@]}" --objective "$OBJ" --json | field train_images_per_s)")
  done
  ratio "$m" "$(median "${cb[@]}")" "$(median "${pt[@]}")"
done
