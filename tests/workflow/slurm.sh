#!/usr/bin/env bash
# A throw-away one-node SLURM cluster on this host, for trying the slurm profile:
#   tests/workflow/slurm.sh start DIR   # starts munged, slurmctld, slurmd; state and logs in DIR
#   tests/workflow/slurm.sh stop DIR
# Needs root; installs Debian's slurm-wlm and munge with apt-get when missing. Exit status 3:
# this host cannot run a test cluster (the reason is on stderr). No accounting (no slurmdbd):
# submit with --slurm-no-account --slurm-status-command squeue. The config lives in DIR and is
# linked as /etc/slurm/slurm.conf while the cluster runs, because the srun inside each job
# ignores SLURM_CONF; a host with its own /etc/slurm/slurm.conf is left alone (exit 3).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
dir=$(realpath -m "$2")
system_conf=/etc/slurm/slurm.conf

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

missing_tools() {
    local tool
    for tool in munged slurmctld slurmd sinfo sbatch; do command -v "$tool" >/dev/null || echo "$tool"; done
}

install() {
    command -v apt-get >/dev/null || { echo "$(missing_tools | xargs) missing and no apt-get to install slurm-wlm and munge" >&2; exit 3; }
    echo "installing slurm-wlm and munge (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get install -y -q --no-install-recommends slurm-wlm munge >&2 ||
           { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends slurm-wlm munge >&2; }; }; then
        echo "apt-get could not install slurm-wlm and munge" >&2
        exit 3
    fi
}

start() {
    [[ $(id -u) -eq 0 ]] || { echo "starting slurmd needs root" >&2; exit 3; }
    [[ -z $(missing_tools) ]] || install
    if [[ -L $system_conf && ! -e $system_conf ]]; then
        rm "$system_conf"  # dangling, left by a test cluster that was not stopped
    fi
    if [[ -e $system_conf ]]; then
        echo "$system_conf exists: this host has its own SLURM, not starting a second one" >&2
        exit 3
    fi
    mkdir -p "$dir"/{munge,state,spool,log}
    chmod 700 "$dir"
    chmod 755 "$dir/munge"
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/munge/munge.key"
    munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
        --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed" \
        --log-file="$dir/log/munged.log"

    local node cpus mem_mb
    node=$(hostname -s)
    cpus=$(nproc)
    # Declare at most half the memory (max 4 GB): the host is shared, and slurmd drains a node
    # that reports less memory than declared.
    mem_mb=$(awk '/MemTotal/ {m = int($2 / 2048); print (m > 4000 ? 4000 : m)}' /proc/meminfo)
    cat > "$dir/slurm.conf" <<CONF
ClusterName=dlrepro-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=600
GresTypes=gpu
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    # Two stand-in GPUs, so `sbatch --gpus` requests are scheduled as on a GPU cluster (the jobs
    # then run on the CPU). SLURM drops GPUs without a device file; nothing here opens them.
    printf 'NodeName=%s Name=gpu File=%s\n' "$node" /dev/null "$node" /dev/zero > "$dir/gres.conf"
    mkdir -p "$(dirname "$system_conf")"
    ln -s "$dir/slurm.conf" "$system_conf"
    slurmctld -f "$dir/slurm.conf"
    slurmd -f "$dir/slurm.conf" -N "$node"
    for _ in $(seq 60); do
        if [[ $(sinfo --noheader --nodes="$node" --format=%t 2>/dev/null) == idle ]]; then
            echo "SLURM up: node $node idle ($cpus CPUs, $mem_mb MB, 2 stand-in GPUs)"
            return 0
        fi
        sleep 1
    done
    echo "node $node not idle after 60 s; logs in $dir/log" >&2
    sinfo >&2 || true
    tail -n 20 "$dir"/log/*.log >&2 || true
    stop
    exit 1
}

stop_pid_file() {
    local pid_file=$1 pid
    [[ -s $pid_file ]] || return 0
    pid=$(<"$pid_file")
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
}

stop() {
    stop_pid_file "$dir/slurmd.pid"
    stop_pid_file "$dir/slurmctld.pid"
    stop_pid_file "$dir/munge/munged.pid"
    if [[ $(readlink "$system_conf" || true) == "$dir/slurm.conf" ]]; then rm "$system_conf"; fi
}

case $action in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
