#!/usr/bin/env bash
# start-local-cluster.sh DIR: a single-node Slurm cluster on this machine, for tests and CI.
#
# Starts munged, slurmctld and slurmd as the calling user, with no systemd, cgroups or accounting
# database; configuration, state, logs and PID files all live under DIR. Needs the Debian packages
#   apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge
# On success it prints `export NAME=VALUE` lines (also saved in DIR/env.sh), so that
#   eval "$(tools/slurm/start-local-cluster.sh /tmp/cb-slurm)"
# points sbatch/squeue/scontrol at the new cluster (SLURM_CONF). Messages go to stderr.
# A finished job's state and exit code are in DIR/log/jobcomp.txt (there is no accounting database,
# so sacct does not work); poll `squeue -h -j JOBID` until it prints nothing to wait for a job.
#
# Environment (all optional):
#   CB_SLURM_CTLD_PORT, CB_SLURM_NODE_PORT  TCP ports of slurmctld / slurmd (default 6817 / 6818)
#   CB_SLURM_CPUS     CPUs the node offers (default: the real count); more runs more tasks at once
#   CB_SLURM_WAIT     seconds to wait for each daemon (default 60)
# Stop it with tools/slurm/stop-local-cluster.sh DIR [--purge].
set -euo pipefail
umask 022
export PATH="$PATH:/usr/sbin:/sbin"   # the daemons live in sbin, which a user's PATH may lack

dir=${1:?usage: start-local-cluster.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
ctld_port=${CB_SLURM_CTLD_PORT:-6817}
node_port=${CB_SLURM_NODE_PORT:-6818}
wait_s=${CB_SLURM_WAIT:-60}
conf=$dir/slurm.conf
sock=$dir/munge/socket
node=$(hostname -s)
me=$(id -un)

say() { echo "start-local-cluster: $*" >&2; }
fail() {
  say "error: $*"
  for f in "$dir"/log/*.log; do [ -f "$f" ] && { echo "==> $f <==" >&2; tail -n 20 "$f" >&2; }; done
  exit 1
}
for tool in munged munge unmunge slurmctld slurmd sinfo scontrol; do
  command -v "$tool" >/dev/null \
    || fail "$tool is not installed (apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge)"
done
[ "${#sock}" -lt 100 ] || fail "DIR is too long for a unix socket path: $sock"

# running NAME PIDFILE: the PID in PIDFILE is alive and is the program NAME
running() {
  local pid
  pid=$(cat "$2" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]
}
# until_ok WHAT COMMAND...: retry COMMAND every 0.2 s for up to CB_SLURM_WAIT seconds
until_ok() {
  local what=$1 tries=$((wait_s * 5)); shift
  while ! "$@" >/dev/null 2>&1; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || fail "gave up after ${wait_s}s waiting for $what"
    sleep 0.2
  done
}
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mkdir -p "$dir/log" "$dir/run" "$dir/state" "$dir/spool" "$dir/munge"
chmod 755 "$dir" "$dir/munge" "$dir/log" "$dir/run"   # munged wants a socket folder others may enter
export SLURM_CONF=$conf

if ! running slurmctld "$dir/run/slurmctld.pid" && ! running slurmd "$dir/run/slurmd.pid"; then
  port_taken "$ctld_port" && fail "port $ctld_port is in use (set CB_SLURM_CTLD_PORT)"
  port_taken "$node_port" && fail "port $node_port is in use (set CB_SLURM_NODE_PORT)"
  # What slurmd sees, e.g. "CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105"
  hw=$(slurmd -C | head -n 1 | sed -e 's/^NodeName=[^ ]* //')
  mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
  mem=$((mem * 9 / 10))   # a node that reports less memory than configured is drained
  if [ -n "${CB_SLURM_CPUS:-}" ]; then hw="CPUs=$CB_SLURM_CPUS RealMemory=$mem"
  else hw=$(sed -e "s/RealMemory=[0-9]*/RealMemory=$mem/" <<<"$hw"); fi
  cat >"$conf" <<CONF
# single-node test cluster written by start-local-cluster.sh
ClusterName=cambench
SlurmctldHost=localhost
SlurmUser=$me
SlurmdUser=$me
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
fi

if ! running munged "$dir/run/munged.pid"; then
  if [ ! -s "$dir/munge/munge.key" ]; then
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  fi
  chmod 400 "$dir/munge/munge.key"
  rm -f "$sock" "$sock.lock"
  say "starting munged"
  munged --key-file="$dir/munge/munge.key" --socket="$sock" --pid-file="$dir/run/munged.pid" \
    --seed-file="$dir/munge/seed" --log-file="$dir/log/munged.log" </dev/null || fail "munged did not start"
fi
until_ok "munged" bash -c "munge -n -S '$sock' | unmunge -S '$sock'"

if ! running slurmctld "$dir/run/slurmctld.pid"; then
  say "starting slurmctld"
  slurmctld -f "$conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 || fail "slurmctld did not start"
fi
until_ok "slurmctld" running slurmctld "$dir/run/slurmctld.pid"
until_ok "slurmctld to answer" scontrol ping

if ! running slurmd "$dir/run/slurmd.pid"; then
  say "starting slurmd"
  slurmd -f "$conf" -N "$node" </dev/null >>"$dir/log/slurmd.out" 2>&1 || fail "slurmd did not start"
fi
until_ok "slurmd" running slurmd "$dir/run/slurmd.pid"
idle() { [ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" = idle ]; }
until_ok "node $node to be idle" idle
say "up: node $node, partition local, ports $ctld_port/$node_port, logs in $dir/log"

printf 'export SLURM_CONF=%s\nexport CB_SLURM_DIR=%s\n' "$conf" "$dir" | tee "$dir/env.sh"
