#!/usr/bin/env bash
# A throwaway single-node Slurm cluster (Debian sid's slurm-wlm and munge, from
# the root `tools/provision-blender.sh sid farm` made), so farm tests submit
# real Slurm jobs whose tasks run that root's Blender:
#   tools/slurm-cluster.sh start STATE_DIR    (prints KEY=VALUE, also in STATE_DIR/cluster.env)
#   tools/slurm-cluster.sh stop STATE_DIR     (every daemon and job process ends)
#   tools/slurm-cluster.sh status STATE_DIR   (exits 0 while the cluster runs)
# STATE_DIR must be under /tmp: the root sees the host's /tmp at the same path,
# so the config, the logs and the jobs' files have one name on both sides.
# STATE_DIR/bin holds sbatch, scontrol, squeue, sinfo, scancel and sacct: with
# it first on PATH a host program runs them as is (its cwd, its arguments and
# its environment, which the jobs inherit: sbatch's default --export=ALL).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
COMMANDS="sbatch scontrol squeue sinfo scancel sacct"

die() { echo "slurm-cluster: $*" >&2; exit 1; }

ACTION="${1:-}"
STATE="${2:-}"
case "$ACTION" in start|stop|status) ;; *) die "usage: $0 start|stop|status STATE_DIR" ;; esac
[ -n "$STATE" ] || die "usage: $0 $ACTION STATE_DIR"
STATE="$(realpath -m "$STATE")"
case "$STATE" in
    /tmp/*) ;;
    *) die "STATE_DIR must be under /tmp (the root sees only that), not $STATE" ;;
esac
case "$STATE" in *[[:space:]]*) die "STATE_DIR must not contain spaces: $STATE" ;; esac
if [ ! -d "$STATE" ]; then
    case "$ACTION" in start) mkdir -p "$STATE" ;; stop) exit 0 ;; status) exit 1 ;; esac
fi
ENV_FILE="$STATE/cluster.env"
# The cluster is always sid's root (the one provisioned with `farm`).
ROOT="$(MULTI_RENDER_SUITE=sid "$HERE/in-root.sh" --print-root sid)"
export MULTI_RENDER_ROOT="$ROOT"

setting() { sed -n "s/^$1=//p" "$ENV_FILE" 2>/dev/null | tail -1; }

# Still starting (in-root.sh's chain of execs) or running; not a zombie.
running() {
    local state
    state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
    [ -n "$state" ] && [ "$state" != Z ]
}

# A pid is ours only while it still runs that daemon (pids get reused).
alive() {
    local pid="$1" name="$2"
    [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]
}

# Job steps (slurmstepd and the job's processes) leave slurmd's session but
# never its mount namespace: that namespace names everything the cluster ran.
# A namespace counts only while a Slurm or munge daemon is still in it: once
# it is empty, the kernel may give its number to someone else's in-root.sh.
namespace_pids() {
    ps -e -o mntns=,pid=,comm= | awk -v ours=",$1," '
        index(ours, "," $1 ",") { pids[$1] = pids[$1] " " $2 }
        index(ours, "," $1 ",") && $3 ~ /^(munged|slurmctld|slurmd|slurmstepd|slurmscriptd)$/ { held[$1] = 1 }
        END { for (ns in held) { n = split(pids[ns], list, " "); for (i = 1; i <= n; i++) print list[i] } }'
}

stop_cluster() {
    [ -f "$ENV_FILE" ] || return 0
    local namespaces munge_dir name pid tries left
    local -a pids
    namespaces="$(setting MUNGED_MNTNS),$(setting SLURMCTLD_MNTNS),$(setting SLURMD_MNTNS)"
    munge_dir="$(setting MUNGE_DIR)"
    # Jobs first, while slurmctld can still end them properly; then the
    # daemons; then whatever is left in their namespaces.
    if alive "$(setting SLURMCTLD_PID)" slurmctld; then
        timeout 10 "$STATE/bin/scancel" --full --quiet --user=root >/dev/null 2>&1 || true
    fi
    for name in slurmd slurmctld munged; do
        pid="$(setting "${name^^}_PID")"
        alive "$pid" "$name" && kill -TERM "$pid" 2>/dev/null || true
    done
    for tries in $(seq 50); do
        mapfile -t pids < <(namespace_pids "$namespaces")
        [ "${#pids[@]}" = 0 ] && break
        # After 5 s of SIGTERM, no more patience.
        [ "$tries" -ge 25 ] && kill -KILL "${pids[@]}" 2>/dev/null || true
        sleep 0.2
    done
    mapfile -t pids < <(namespace_pids "$namespaces")
    if [ "${#pids[@]}" != 0 ]; then
        die "processes left behind: $(ps -o pid=,args= -p "$(IFS=,; echo "${pids[*]}")" 2>/dev/null)"
    fi
    # Dead daemons stay zombies until init reaps them: give it a moment, so
    # that ps right after a stop shows nothing.
    for tries in $(seq 20); do
        left=""
        for name in SLURMD SLURMCTLD MUNGED; do
            pid="$(setting "${name}_PID")"
            [ -n "$pid" ] && [ -d "/proc/$pid" ] && left=1
        done
        [ -z "$left" ] && break
        sleep 0.1
    done
    case "$munge_dir" in /tmp/multi-render-munge.*) rm -rf "$munge_dir" ;; esac
    rm -f "$ENV_FILE" "$STATE/munge"
}

status_cluster() {
    [ -f "$ENV_FILE" ] || return 1
    alive "$(setting MUNGED_PID)" munged && alive "$(setting SLURMCTLD_PID)" slurmctld \
        && alive "$(setting SLURMD_PID)" slurmd
}

# Two ports nobody listens on now: a second cluster or a leftover one keeps its own.
free_ports() {
    python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
'
}

write_wrappers() {
    local command wrapper repo here root
    printf -v repo '%q' "$REPO"
    printf -v here '%q' "$HERE"
    printf -v root '%q' "$ROOT"
    mkdir -p "$STATE/bin"
    for command in $COMMANDS; do
        wrapper="$STATE/bin/$command"
        # Inside the root (a job script calling scontrol) the real command runs
        # directly; on the host it runs in the root from the same folder,
        # which must then be one the root sees (/tmp or the repo).
        cat >"$wrapper" <<EOF
#!/usr/bin/env bash
# $command of the throwaway Slurm cluster in $STATE (tools/slurm-cluster.sh).
set -euo pipefail
export SLURM_CONF=$STATE/slurm.conf
if [ -f /.multi-render-ready ]; then exec /usr/bin/$command "\$@"; fi
cwd=/
case "\$PWD/" in /tmp/*|$repo/*) cwd="\$PWD" ;; esac
if [ "$command" = sbatch ] && [ "\$cwd" = / ]; then
    echo "sbatch: submit from under /tmp or $REPO (the Slurm root sees only those), not \$PWD" >&2
    exit 1
fi
MULTI_RENDER_ROOT=$root exec $here/in-root.sh env -C "\$cwd" /usr/bin/$command "\$@"
EOF
        chmod 755 "$wrapper"
    done
}

write_config() {
    local ctld_port="$1" slurmd_port="$2" host
    host="$(hostname -s)"
    cat >"$STATE/slurm.conf" <<EOF
# Written by tools/slurm-cluster.sh; thrown away with $STATE.
ClusterName=multirender
# Both daemons check that they run on the host named here (the short
# hostname); the address spares the root a hosts entry for it.
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$STATE/munge/munge.socket
StateSaveLocation=$STATE/state
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/run/slurmctld.pid
SlurmdPidFile=$STATE/run/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
# No cgroups in a chroot (see also cgroup.conf).
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No slurmdbd: sacct has nothing to read, scontrol is the record (MinJobAge).
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=3600
MpiDefault=none
# The default, /bin/mail, is absent and slurmctld says so; no mail is sent here.
MailProg=/bin/true
# One consumable CPU per task: array tasks run side by side, and memory is
# no resource (no RealMemory to guess; the config wins over what slurmd sees).
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
# Tests wait on jobs: schedule at submit (not up to 3 s later), cancel a job
# whose dependency failed (else it stays pending for ever), kill fast.
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
KillWait=5
InactiveLimit=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=farm Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    # Without it slurmd looks for a mounted cgroup filesystem, and the root has none.
    echo "CgroupPlugin=disabled" >"$STATE/cgroup.conf"
}

fail_start() {
    local log
    echo "slurm-cluster: $1; the logs' tails:" >&2
    # (-D: each .out holds its daemon's whole log, and what it wrote before logging.)
    for log in "$STATE"/log/*.out; do
        [ -s "$log" ] || continue
        echo "== $log" >&2
        tail -15 "$log" >&2
    done
    stop_cluster || true
    exit 1
}

# Each daemon runs in the foreground of its own in-root.sh, detached from the
# caller (its own session, no inherited pipes): exec all the way down makes
# $! the daemon's pid, and its mount namespace lives as long as it does.
# Records NAME_PID and NAME_MNTNS (stop's way to its job processes).
launch() {
    local name="$1" pid ns tries; shift
    setsid "$HERE/in-root.sh" "$@" </dev/null >>"$STATE/log/$name.out" 2>&1 &
    pid=$!
    echo "${name^^}_PID=$pid" >>"$ENV_FILE"
    # Until the chain of execs ends the pid is still in-root.sh, unshare...
    # and in the host's namespace, which must never be taken for the daemon's.
    for tries in $(seq 100); do
        alive "$pid" "$name" && break
        running "$pid" || fail_start "$name exited"
        sleep 0.05
    done
    alive "$pid" "$name" || fail_start "$name did not start"
    ns="$(readlink "/proc/$pid/ns/mnt")" || fail_start "$name exited"
    [ "$ns" != "$(readlink /proc/self/ns/mnt)" ] || fail_start "$name runs in the host's mount namespace"
    echo "${name^^}_MNTNS=${ns//[^0-9]/}" >>"$ENV_FILE"
    LAUNCHED="$pid"
}

start_cluster() {
    local started munge_dir munged_pid ctld_pid slurmd_pid ctld_port slurmd_port state tries
    started="$(date +%s%3N)"
    if status_cluster; then die "already running in $STATE (stop it first)"; fi
    stop_cluster
    # (slurmctld is a link through the root's /etc/alternatives: -L, not -x.)
    [ -L "$ROOT/usr/sbin/slurmctld" ] && [ -L "$ROOT/usr/sbin/slurmd" ] && [ -x "$ROOT/usr/sbin/munged" ] \
        || die "no Slurm in $ROOT: run tools/provision-blender.sh sid farm (make provision)"
    rm -rf "$STATE/state" "$STATE/spool" "$STATE/run" "$STATE/log"
    mkdir -p "$STATE/state" "$STATE/spool" "$STATE/run" "$STATE/log"
    read -r ctld_port slurmd_port <<<"$(free_ports)"
    write_config "$ctld_port" "$slurmd_port"
    write_wrappers

    # munged runs as munge and refuses any of its files on a path others may
    # write or it cannot reach: STATE_DIR's parents may be private to root
    # (pytest's tmp folders are 0700), so its files live in a folder of its
    # own right under /tmp (sticky), linked from STATE_DIR.
    munge_dir="$(mktemp -d /tmp/multi-render-munge.XXXXXX)"
    ln -sfn "$munge_dir" "$STATE/munge"
    { echo "SLURM_CONF=$STATE/slurm.conf"; echo "BIN=$STATE/bin"; echo "MUNGE_DIR=$munge_dir"; } >"$ENV_FILE"
    # shellcheck disable=SC2016 # expanded by the sh inside the root
    "$HERE/in-root.sh" --no-repo sh -c '
        set -e
        chown munge:munge "$1"
        chmod 755 "$1"
        mungekey --create --keyfile="$1/munge.key"
        chown munge:munge "$1/munge.key"
        chmod 600 "$1/munge.key"
    ' munge-key "$munge_dir" >/dev/null || fail_start "no munge key"

    launch munged --no-repo setpriv --reuid=munge --regid=munge --init-groups \
        /usr/sbin/munged --foreground --socket="$munge_dir/munge.socket" --key-file="$munge_dir/munge.key" \
        --pid-file="$munge_dir/munged.pid" --log-file="$munge_dir/munged.log" --seed-file="$munge_dir/munged.seed" \
        --origin=127.0.0.1
    munged_pid="$LAUNCHED"
    for tries in $(seq 100); do
        [ -S "$munge_dir/munge.socket" ] && break
        running "$munged_pid" || fail_start "munged did not start"
        sleep 0.1
    done
    [ -S "$munge_dir/munge.socket" ] || fail_start "munged made no socket"

    launch slurmctld --no-repo /usr/sbin/slurmctld -D -f "$STATE/slurm.conf"
    ctld_pid="$LAUNCHED"
    # slurmd gets the repo mounted too: jobs run in its namespace, from the
    # folder they were submitted in.
    launch slurmd /usr/sbin/slurmd -D -f "$STATE/slurm.conf"
    slurmd_pid="$LAUNCHED"

    state=""
    for tries in $(seq 150); do
        running "$munged_pid" || fail_start "munged exited"
        running "$ctld_pid" || fail_start "slurmctld exited"
        running "$slurmd_pid" || fail_start "slurmd exited"
        state="$("$STATE/bin/sinfo" --noheader --Node --format=%T 2>/dev/null || true)"
        [ "$state" = idle ] && break
        sleep 0.2
    done
    [ "$state" = idle ] || fail_start "the node is not idle after 30 s (state: '${state:-no answer}')"
    {
        echo "SLURMCTLD_PORT=$ctld_port"
        echo "SLURMD_PORT=$slurmd_port"
        echo "START_MS=$(($(date +%s%3N) - started))"
    } >>"$ENV_FILE"
    cat "$ENV_FILE"
}

case "$ACTION" in
    start) start_cluster ;;
    stop) stop_cluster ;;
    status) status_cluster ;;
esac
