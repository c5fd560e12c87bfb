#!/usr/bin/env bash
# ns-agent.sh: Open MPI's remote launch agent for the namespace hosts (mpirun --mca plm_rsh_agent).
# Open MPI calls it as it would call ssh: `ns-agent.sh [options] HOST COMMAND...`. HOST is a host's
# address, $RLF_SUBNET.(N+1) (tests/fleet/netns-hosts.sh); the command runs inside namespace ${RLF_PREFIX}hN, in its own UTS namespace
# whose hostname is "node<N>", so each host has its own address and its own name.
#
# Test knobs, read from the environment mpirun passes down:
#   RLF_ENV_NODE<N>="VAR=value ..."   extra environment for host N's processes only
#   RLF_CGROUP_NODE<N>=DIR            host N's processes run in this CPU cgroup (a slow host)
set -euo pipefail
while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do shift; done # ssh-style options: none apply
host=$1
shift
n=$((${host##*.} - 1))
prefix=${RLF_PREFIX:-rlf}
extra_var=RLF_ENV_NODE$n
extra=${!extra_var:-}
cgroup_var=RLF_CGROUP_NODE$n
if [ -n "${!cgroup_var:-}" ]; then echo $$ >"${!cgroup_var}/cgroup.procs"; fi
exec ip netns exec "${prefix}h$n" unshare --uts /bin/sh -c \
    "hostname node$n && exec env $extra /bin/sh -c \"\$0\"" "$*"
