#!/usr/bin/env bash
# stop-local-cluster.sh DIR [--purge]: stops the cluster that start-local-cluster.sh DIR started.
#
# Cancels its jobs, stops slurmd, slurmctld and munged by the PIDs recorded under DIR/run (each
# checked to still be that program), then kills job steps of this cluster that outlived slurmd
# (slurmstepd processes whose environment names DIR/slurm.conf) with their children.
# --purge also removes DIR. Running it again is harmless.
set -uo pipefail

dir=${1:?usage: stop-local-cluster.sh DIR [--purge]}
[ -d "$dir" ] || { echo "stop-local-cluster: no $dir; nothing to stop" >&2; exit 0; }
dir=$(cd "$dir" && pwd)
conf=$dir/slurm.conf
export SLURM_CONF=$conf
say() { echo "stop-local-cluster: $*" >&2; }

pid_of() { # pid_of NAME PIDFILE: print the PID if it is alive and is NAME
  local pid
  pid=$(cat "$2" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && echo "$pid"
}
stop() { # stop NAME PID: TERM, then KILL after 20 s
  local n=0
  kill -TERM "$2" 2>/dev/null || return 0
  while [ "$(cat "/proc/$2/comm" 2>/dev/null)" = "$1" ]; do
    n=$((n + 1))
    if [ "$n" -gt 200 ]; then kill -KILL "$2" 2>/dev/null; break; fi
    sleep 0.1
  done
  say "stopped $1 ($2)"
}
children() { # every descendant of $1
  local c
  for c in $(awk -v p="$1" '$4 == p { print $1 }' /proc/[0-9]*/stat 2>/dev/null); do echo "$c"; children "$c"; done
}

if pid_of slurmctld "$dir/run/slurmctld.pid" >/dev/null; then
  jobs=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
  if [ -n "${jobs// /}" ]; then
    say "cancelling jobs $jobs"
    scancel $jobs 2>/dev/null
    for _ in $(seq 100); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
  fi
fi
for name in slurmd slurmctld munged; do
  pid=$(pid_of "$name" "$dir/run/$name.pid") && stop "$name" "$pid"
  rm -f "$dir/run/$name.pid"
done
for p in $(grep -lsxF --null-data "SLURM_CONF=$conf" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = slurmstepd ] || continue
  kids=$(children "$p")
  say "killing leftover job step $p ${kids//$'\n'/ }"
  kill -KILL $kids "$p" 2>/dev/null
done
if [ "${2:-}" = --purge ]; then rm -rf "$dir"; say "removed $dir"; fi
exit 0
