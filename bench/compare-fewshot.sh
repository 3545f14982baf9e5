#!/usr/bin/env bash
# Runs CloserLook's per-episode fine-tuning loop in plain PyTorch (bench/pytorch_fewshot.py) and
# `cambench bench fewshot` (all episodes batched) on the same episode sizes and threads, and prints
# both rates in episodes/s and their ratio.
#   bench/compare-fewshot.sh [--way 5] [--shot 5] [--query 16] [--dim 512] [--episodes 600]
#                            [--pytorch-episodes 60] [--head cosine] [--threads 2]
# The per-episode loop's rate is constant per episode, so it runs fewer episodes (60 by default).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WAY=5; SHOT=5; QUERY=16; DIM=512; EPISODES=600; PT_EPISODES=60; HEAD=cosine; THREADS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --way) WAY="$2";; --shot) SHOT="$2";; --query) QUERY="$2";; --dim) DIM="$2";; --episodes) EPISODES="$2";;
    --pytorch-episodes) PT_EPISODES="$2";; --head) HEAD="$2";; --threads) THREADS="$2";;
    *) echo "compare-fewshot.sh: unknown option $1 (see the header of $0)" >&2; exit 2;;
  esac
  shift 2
done
common=(--way "$WAY" --shot "$SHOT" --query "$QUERY" --dim "$DIM" --head "$HEAD" --threads "$THREADS")
pt=$("$PY" "$ROOT/bench/pytorch_fewshot.py" "${common[@]}" --episodes "$PT_EPISODES")
cb=$("$ROOT/cambench" bench fewshot "${common[@]}" --episodes "$EPISODES" --json)
printf '%-12s %14s %14s %8s\n' "${WAY}w${SHOT}s" pytorch_ep_s cambench_ep_s ratio
ratio "$HEAD" "$(field episodes_per_s <<<"$cb")" "$(field episodes_per_s <<<"$pt")"
echo "pytorch: $PT_EPISODES episodes, mean accuracy $(field mean_accuracy <<<"$pt")%;" \
     "cambench: $EPISODES episodes in $(field seconds <<<"$cb") s, mean accuracy $(field mean_accuracy <<<"$cb")%"
