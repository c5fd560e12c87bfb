#!/usr/bin/env bash
# run-fleet-tests.sh: roofline-fleet over real Open MPI, on a cluster of network-namespace hosts
# on this one machine (tests/fleet/netns-hosts.sh), launched through tests/fleet/ns-agent.sh instead
# of ssh, MPI over TCP between the namespaces. No mocks. Called by scripts/run-tests.sh (make test)
# with RL_BIN and RL_FLEET_BIN; needs root, ip (iproute2) and mpirun.
#
# Cases (each a run of 3 hosts, --quick --serial: the hosts share this machine's cores):
#   fleet_cluster_report          3 hosts -> a fleet report with 3 rows, a group and its median;
#                                 roofline report re-renders the file
#   fleet_slow_node_flagged       node2 in a CPU cgroup capped at 10% of a core (or, where cgroups
#                                 are not writable, busy loops pinned to every core while it
#                                 measures) -> node2 flagged, named with the ceiling that fell
#   fleet_killed_node_failed      node2's measuring process killed mid-run -> "failed: ...",
#                                 node1 and node3 still reported
#   fleet_hung_node_timed_out     node2's measurement stopped (SIGSTOP) -> failed at --node-timeout
#   fleet_version_mismatch_refused node3 announces another version -> refused, naming the nodes
# Where the kernel refuses network namespaces (or this is not root, or there is no MPI), every
# case is reported SKIPPED by name, with the reason, and the script exits 0.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fleet=${RL_FLEET_BIN:-}
roofline=${RL_BIN:-./roofline}
cases=(fleet_cluster_report fleet_slow_node_flagged fleet_killed_node_failed
       fleet_hung_node_timed_out fleet_version_mismatch_refused)

skip_all() {
    for c in "${cases[@]}"; do echo "fleet: SKIPPED $c: $1"; done
    exit 0
}
[ -n "$fleet" ] && [ -x "$fleet" ] || skip_all "roofline-fleet is not built (no mpicc)"
command -v mpirun >/dev/null || skip_all "no mpirun (install openmpi-bin)"
command -v python3 >/dev/null || skip_all "no python3 to read the JSON"
why=$("$here/netns-hosts.sh" check 2>&1) || skip_all "$why"
fleet=$(cd "$(dirname "$fleet")" && pwd)/$(basename "$fleet")
version=$("$fleet" --version | awk '{print $2}')

# Names and a subnet of our own, so that two runs at once do not meet.
export RLF_PREFIX=rlt$(($$ % 100000))
export RLF_SUBNET=10.77.$(($$ % 250 + 1))
tmp=$(mktemp -d)
watcher=
cgroup=
cleanup() {
    [ -n "$watcher" ] && kill "$watcher" 2>/dev/null
    "$here/netns-hosts.sh" down
    [ -n "$cgroup" ] && rmdir "$cgroup" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$here/netns-hosts.sh" up 3 || skip_all "could not create the namespace hosts"
for i in 1 2 3; do echo "$RLF_SUBNET.$((i + 1)) slots=1"; done >"$tmp/hosts"

# Open MPI's sanitizer builds of roofline-fleet: MPI's own allocations are not ours to report.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=0
failures=0

fleet_run() { # fleet_run OUT-PREFIX [fleet flags...]: stdout, stderr and rc under OUT-PREFIX.*
    local out=$1
    shift
    timeout 150 mpirun --allow-run-as-root --oversubscribe -np 3 --hostfile "$tmp/hosts" \
        --map-by node --mca plm_rsh_agent "$here/ns-agent.sh" --mca plm_rsh_no_tree_spawn 1 \
        --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include "$RLF_SUBNET.0/24" \
        --mca oob_tcp_if_include "$RLF_SUBNET.0/24" \
        "$fleet" --quick --serial --min-time 0.005 "$@" >"$out.out" 2>"$out.err"
    echo $? >"$out.rc"
}

# The measuring process ("roofline-job", runner/child.h) of host N, once it runs; "" when none.
job_of() {
    local p
    for p in $(ip netns pids "${RLF_PREFIX}h$1" 2>/dev/null); do
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = roofline-job ] && { echo "$p"; return; }
    done
}

# watch N ACTION: in the background, waits for host N's measurement and does ACTION to it:
#   slow   busy loops pinned to every core for as long as it runs
#   kill   SIGKILL after 0.3 s
#   stop   SIGSTOP (it hangs; the node's time limit must end it)
watch() {
    (
        local pid=""
        for _ in $(seq 1 3000); do
            pid=$(job_of "$1")
            [ -n "$pid" ] && break
            sleep 0.02
        done
        [ -n "$pid" ] || exit 0
        case $2 in
        slow)
            local hogs=()
            for cpu in $(seq 0 $(($(nproc) - 1))); do
                for _ in 1 2 3 4 5 6; do
                    taskset -c "$cpu" sh -c 'while :; do :; done' &
                    hogs+=($!)
                done
            done
            while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
            kill "${hogs[@]}" 2>/dev/null
            ;;
        kill) sleep 0.3 && kill -KILL "$pid" ;;
        stop) kill -STOP "$pid" ;;
        esac
    ) &
    watcher=$!
}

unwatch() {
    [ -n "$watcher" ] && { kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null; }
    watcher=
}

check() { # check CASE PYTHON-ASSERTIONS: runs the assertions on the fleet JSON ($tmp/CASE.json)
    local name=$1
    if python3 - "$tmp/$name.json" "$tmp/$name" >"$tmp/$name.check" 2>&1 <<EOF; then
import json, os, sys
f = json.load(open(sys.argv[1])) if os.path.exists(sys.argv[1]) else None
out = open(sys.argv[2] + ".out").read()
err = open(sys.argv[2] + ".err").read()
rc = int(open(sys.argv[2] + ".rc").read())
nodes = {n["host"]: n for n in f["nodes"]} if f else {}
flags = f["summary"]["flags"] if f else []
version = "$version"
$2
EOF
        echo "fleet: ok $name"
    else
        echo "fleet: FAIL $name"
        sed 's/^/    /' "$tmp/$name.check"
        echo "    --- stdout:"; sed 's/^/    /' "$tmp/$name.out"
        echo "    --- stderr:"; sed 's/^/    /' "$tmp/$name.err"
        failures=$((failures + 1))
    fi
}

# (a) three hosts, one report
c=fleet_cluster_report
fleet_run "$tmp/$c" --json "$tmp/$c.json" --markdown "$tmp/$c.md" --csv "$tmp/$c.csv" \
    --svg "$tmp/$c.svg"
"$roofline" report "$tmp/$c.json" >"$tmp/$c.report" 2>&1
echo $? >>"$tmp/$c.report"
check $c '
assert rc == 0, rc
assert f["schema"] == "roofline-fleet/1"
assert sorted(nodes) == ["node1", "node2", "node3"], sorted(nodes)
for n in nodes.values():
    assert n["status"] == "ok", n["status"]
    assert n["result"]["schema"] == "roofline/1"
    assert n["result"]["flops"] and n["result"]["bandwidth"]
g = f["summary"]["groups"]
assert len(g) == 1 and sorted(g[0]["hosts"]) == ["node1", "node2", "node3"], g
assert g[0]["median"]["fp64_gflops"] > 0 and g[0]["median"]["l3_gbs"] > 0, g[0]["median"]
for h in ("node1", "node2", "node3"):
    assert "\n  " + h + " " in out, "no row for " + h
assert "median: fp64 peak" in out
rep = open(sys.argv[2] + ".report").read()
assert "Fleet roofline: 3 nodes: 3 ok, 0 failed; 1 hardware group" in rep, rep
assert rep.rstrip().endswith("0"), "roofline report failed"
csv = open(sys.argv[2] + ".csv").read().splitlines()
assert sum(l.startswith("node,") for l in csv) == 3 and sum(l.startswith("median,") for l in csv) == 1
assert "group 1 median" in open(sys.argv[2] + ".svg").read()
assert "| node2 |" in open(sys.argv[2] + ".md").read()
'

# A CPU cgroup capped at 10% of one core, in 1 ms slices per 10 ms (short against a figure's
# repeats, so no repeat escapes it); "" where cgroups (v1 cpu, or v2 with cpu) are not writable.
slow_cgroup() {
    local d
    if [ -w /sys/fs/cgroup/cpu ] && [ -e /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
        d=/sys/fs/cgroup/cpu/$RLF_PREFIX
        mkdir "$d" 2>/dev/null && echo 10000 >"$d/cpu.cfs_period_us" &&
            echo 1000 >"$d/cpu.cfs_quota_us" && echo "$d" && return
    elif grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
        d=/sys/fs/cgroup/$RLF_PREFIX
        mkdir "$d" 2>/dev/null && echo "1000 10000" >"$d/cpu.max" && echo "$d" && return
    fi
    [ -n "${d:-}" ] && rmdir "$d" 2>/dev/null
    echo ""
}

# (b) node2 slowed on purpose: flagged, with the ceiling that fell
c=fleet_slow_node_flagged
cgroup=$(slow_cgroup)
if [ -n "$cgroup" ]; then
    RLF_CGROUP_NODE2=$cgroup fleet_run "$tmp/$c" --json "$tmp/$c.json"
else
    watch 2 slow
    fleet_run "$tmp/$c" --json "$tmp/$c.json"
    unwatch
fi
check $c '
assert rc == 0, rc
assert all(n["status"] == "ok" for n in nodes.values())
fell = [fl["ceiling"] for fl in flags if fl["host"] == "node2" and fl["below"] == "group median"]
# Which ceiling falls depends on how the cap meets each figure'"'"'s repeats (the best repeat can
# fit in one slice): any of them, named. Other nodes may be flagged too on a busy 2-core host.
assert fell, flags
assert any("node2: %s" % n in out for n in ("fp64", "fp32", "DRAM", "L3")), out
assert "below its group" in out, out
'

# (c) node2's measuring process killed mid-run: failed, the others reported
c=fleet_killed_node_failed
watch 2 kill
fleet_run "$tmp/$c" --json "$tmp/$c.json"
unwatch
check $c '
assert rc == 1, rc
assert nodes["node2"]["status"].startswith("failed: the measurement process was killed by signal 9"), nodes["node2"]
assert nodes["node2"]["result"] is None
for h in ("node1", "node3"):
    assert nodes[h]["status"] == "ok" and nodes[h]["result"]["flops"], h
assert f["summary"]["ok"] == 2 and f["summary"]["failed"] == 1
assert "node2: failed: the measurement process was killed" in out, out
'

# (d) node2's measurement hangs: the node's time limit ends it, the others go on (12 s: the three
# nodes' quick runs share this machine's cores, and under other load 4 s was seen to end healthy ones)
c=fleet_hung_node_timed_out
watch 2 stop
fleet_run "$tmp/$c" --json "$tmp/$c.json" --node-timeout 12
unwatch
check $c '
assert rc == 1, rc
assert nodes["node2"]["status"].startswith("failed: no result within 12 s"), nodes["node2"]
assert nodes["node1"]["status"] == "ok" and nodes["node3"]["status"] == "ok"
'

# (e) node3 announces another version: refused before anything is measured, naming the nodes
c=fleet_version_mismatch_refused
RLF_ENV_NODE3="RL_FLEET_VERSION=0.0.9-test" fleet_run "$tmp/$c" --json "$tmp/$c.json"
check $c '
assert rc != 0, rc
assert f is None, "a fleet file was written"
want = "roofline versions differ across nodes: %s on node1, node2; 0.0.9-test on node3" % version
assert want in err, err
'

[ "$failures" -eq 0 ] || { echo "fleet: $failures case(s) failed"; exit 1; }
