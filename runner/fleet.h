/* fleet.h: the measurement job on every node of a cluster, over MPI (`roofline-fleet`).
 *
 * Built only where MPI is (the Makefile compiles runner/fleet.c with mpicc, and only into
 * roofline-fleet), so this header names no MPI type: the caller initialises MPI and calls
 * rl_fleet_run on every rank.
 *
 * The ranks are grouped per node (MPI_Comm_split_type, MPI_COMM_TYPE_SHARED); the lowest rank of
 * each node is its leader, which runs the job (runner/job.h) on its node in a child process under
 * the per-node time limit (runner/child.h), while the node's other ranks wait without spinning.
 * Each leader sends its result to rank 0 as the result JSON (one point-to-point message: status,
 * host, seconds and the JSON text); rank 0 reads each back into the result model and builds the
 * fleet (result/fleet.h). Before anything is measured the leaders' roofline versions are gathered
 * and compared: different versions are refused, naming the nodes.
 *
 * --serial: the leaders measure one after another, in rank order, passing a token; for nodes that
 * share cores (namespaces on one machine, VMs on one host) or a power budget.
 *
 * Nothing waits forever: each leader kills its measurement at the time limit; rank 0 gives each
 * node that limit plus a grace (RL_FLEET_GRACE_S) to answer, then marks it "failed: no answer"
 * (and in serial mode hands the token on itself). Every wait polls with short sleeps (MPI_Iprobe,
 * MPI_Test), so idle ranks take no CPU from the measurement. */
#ifndef RL_RUNNER_FLEET_H
#define RL_RUNNER_FLEET_H

#include <signal.h>

#include "common/err.h"
#include "result/fleet.h"
#include "runner/job.h"

/* What rank 0 adds to a node's time limit before it stops waiting for the node's answer. */
#define RL_FLEET_GRACE_S 10.0

/* The per-node time limit when none is given: a quick plan 120 s, the full one 600 s. */
double rl_fleet_default_timeout(const rl_plan *plan);

typedef struct rl_fleet_opts {
    const rl_plan *plan;
    int serial;
    double node_timeout_s;    /* > 0 */
    const char *version;      /* this rank's roofline version (RL_VERSION) */
    const char *command_line; /* for the nodes' results and the fleet */
    /* Test knob (--synthetic FILE): every rank is its own node ("<host>-r<rank>") and, instead
     * of measuring, sends the text of this saved result. Measures the gather, not the nodes. */
    const char *synthetic;
    volatile sig_atomic_t *stop; /* raised by the caller's signal handler */
    /* Rank 0: one line per node as it answers ("node2: ok (2.1 s)"). May be NULL. */
    void (*progress)(void *user, const char *line);
    void *progress_user;
} rl_fleet_opts;

/* What the run leaves besides the fleet. */
typedef struct rl_fleet_outcome {
    int root;         /* 1 on rank 0, which alone gets the fleet */
    int unresponsive; /* rank 0: nodes that never answered: their ranks may still be running, so
                         the caller ends the job (MPI_Abort) after writing the report instead of
                         MPI_Finalize, which would wait for them */
    int interrupted;  /* rank 0: stopped by a signal before every node answered */
} rl_fleet_outcome;

/* Collective over MPI_COMM_WORLD. On rank 0, *out receives the fleet (one node per leader, in
 * rank order); elsewhere *out is NULL. Returns 0, or -1 with err: on rank 0 a version mismatch
 * (RL_EXIT_RUNTIME, "roofline versions differ across nodes: ...") or an MPI failure; other ranks
 * return 0 after a refused run. */
int rl_fleet_run(const rl_fleet_opts *o, rl_fleet **out, rl_fleet_outcome *outcome, rl_err *err);

#endif
