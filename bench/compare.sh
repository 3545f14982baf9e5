#!/usr/bin/env bash
# Runs plain eager PyTorch (bench/pytorch_train.py) and `cambench bench train` on the same net,
# batch, threads and warm-up, alternating, and prints training and evaluation throughput, their
# medians and ratios (bench/interleave.py).
#   bench/compare.sh [--models "resnet20 resnet56 wrn_16_4"] [--classes 100] [--batch 128]
#                    [--threads 2] [--steps 40] [--warmup 40] [--rounds 3] [--objective ce]
#                    [--variants "pytorch pytorch_tcmalloc cambench cambench_glibc"]
# Variants: pytorch = the script as Debian installs it (glibc malloc, the reference every ratio is
# over); pytorch_tcmalloc = the same script with tcmalloc preloaded (when installed), which tells the
# allocator's share of any lead from the framework's; cambench = the launcher's default allocator;
# cambench_glibc = the launcher with CAMBENCH_ALLOCATOR=glibc (its tuned glibc settings).
# Round r runs the two in an order rotated by r, so that background load hits both alike; the
# per-round ratio (cambench over the PyTorch run next to it) is the number to quote on a shared
# machine. Both time steady state: the JVM needs ~30 steps (JIT compilation, allocator) before its
# step time settles, PyTorch reaches it at once, so both get --warmup steps. cambench runs with the
# launcher's default allocator (tcmalloc when installed; CAMBENCH_ALLOCATOR=glibc to compare).
# Needs Debian's python3-torch (installed with apt-get when missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MODELS="resnet20 resnet56 wrn_16_4"; CLASSES=100; BATCH=128; THREADS=2; STEPS=40; WARMUP=40; ROUNDS=3; OBJ=ce
VARIANTS="pytorch pytorch_tcmalloc cambench cambench_glibc"
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS="$2";; --classes) CLASSES="$2";; --batch) BATCH="$2";; --threads) THREADS="$2";;
    --steps) STEPS="$2";; --warmup) WARMUP="$2";; --rounds) ROUNDS="$2";; --objective) OBJ="$2";; --variants) VARIANTS="$2";;
    *) echo "compare.sh: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
  shift 2
done
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
for m in $MODELS; do
  common="--model $m --classes $CLASSES --batch $BATCH --threads $THREADS --steps $STEPS --warmup $WARMUP"
  runs=()
  for v in $VARIANTS; do
    case "$v" in
      pytorch) runs+=("pytorch=$PY $ROOT/bench/pytorch_train.py $common");;
      pytorch_tcmalloc)
        if [ -f "$TCMALLOC" ]; then runs+=("pytorch_tcm=LD_PRELOAD=$TCMALLOC $PY $ROOT/bench/pytorch_train.py $common")
        else echo "compare.sh: $TCMALLOC not installed, leaving out pytorch_tcmalloc" >&2; fi;;
      cambench) runs+=("cambench=$ROOT/cambench bench train $common --objective $OBJ --json");;
      cambench_glibc) runs+=("cambench_glibc=CAMBENCH_ALLOCATOR=glibc $ROOT/cambench bench train $common --objective $OBJ --json");;
      *) echo "compare.sh: unknown variant $v (pytorch, pytorch_tcmalloc, cambench, cambench_glibc)" >&2; exit 2;;
    esac
  done
  echo "== $m: $common, $ROUNDS rounds"
  "$PY" "$ROOT/bench/interleave.py" --rounds "$ROUNDS" --field train_images_per_s --field eval_images_per_s \
    --field peak_rss_mb "${runs[@]}"
done
