/* fleet.c: the measurement job on every node, over MPI (see fleet.h). Compiled with mpicc into
 * roofline-fleet only. */
#include "runner/fleet.h"

#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runner/child.h"

enum { TAG_RESULT = 7101, TAG_TOKEN = 7102 };

/* What each leader says about itself before anything is measured. */
typedef struct ident {
    char host[256];
    char version[32];
} ident;

double rl_fleet_default_timeout(const rl_plan *plan)
{
    return plan->quick ? 120.0 : 600.0;
}

static double now_s(void)
{
    return MPI_Wtime();
}

/* The pause between two looks at a pending request: short against a node's measurement (seconds),
 * long enough that a waiting rank takes no CPU from it. */
static void nap(void)
{
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static int stopped(const rl_fleet_opts *o)
{
    return o->stop && *o->stop;
}

/* Waits for `req` without spinning. Returns 0 when it completed, 1 when stopped (the request is
 * left pending: the process is about to end). */
static int idle_wait(MPI_Request *req, const rl_fleet_opts *o)
{
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return 0;
        if (stopped(o))
            return 1;
        nap();
    }
}

static void host_name(const rl_fleet_opts *o, int rank, char *out, size_t size)
{
    char h[256] = "";
    if (gethostname(h, sizeof h - 1) != 0 || !h[0])
        snprintf(h, sizeof h, "rank%d", rank);
    h[sizeof h - 1] = '\0';
    if (o->synthetic)
        snprintf(out, size, "%.200s-r%d", h, rank);
    else
        snprintf(out, size, "%s", h);
}

/* The leader's node into one message: "status\0host\0seconds\0json" (the JSON may be empty). */
static char *measure_node(const rl_fleet_opts *o, const char *host, int *msg_len, rl_err *err)
{
    rl_child_result cr;
    memset(&cr, 0, sizeof cr);
    if (o->synthetic) {
        rl_result *r = rl_result_read(o->synthetic, err);
        if (!r)
            return NULL;
        cr.json = rl_result_to_json(r, err);
        rl_result_free(r);
        if (!cr.json)
            return NULL;
        cr.len = strlen(cr.json);
        snprintf(cr.status, sizeof cr.status, "ok");
        cr.seconds = 0;
    } else if (rl_child_measure(o->plan, o->node_timeout_s, o->stop, o->command_line, &cr, err) !=
               0) {
        return NULL;
    }
    char secs[32];
    snprintf(secs, sizeof secs, "%.3f", cr.seconds);
    size_t ls = strlen(cr.status) + 1, lh = strlen(host) + 1, lt = strlen(secs) + 1;
    size_t total = ls + lh + lt + cr.len;
    char *msg = total < (size_t)1 << 30 ? malloc(total) : NULL;
    if (!msg) {
        free(cr.json);
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory (or a result over 1 GiB)");
        return NULL;
    }
    memcpy(msg, cr.status, ls);
    memcpy(msg + ls, host, lh);
    memcpy(msg + ls + lh, secs, lt);
    if (cr.len)
        memcpy(msg + ls + lh + lt, cr.json, cr.len);
    free(cr.json);
    *msg_len = (int)total;
    return msg;
}

/* Rank 0's view of the nodes while it collects. */
typedef struct node_slot {
    char host[256];
    char status[512];
    double seconds;
    rl_result *result;
    int done;
} node_slot;

/* Reads a node's message into its slot. A result that does not read back fails the node. */
static void unpack(node_slot *s, const char *msg, size_t len)
{
    const char *end = msg + len;
    const char *status = msg;
    const char *host = memchr(status, '\0', len) ? status + strlen(status) + 1 : end;
    const char *secs =
        host < end && memchr(host, '\0', (size_t)(end - host)) ? host + strlen(host) + 1 : end;
    const char *json =
        secs < end && memchr(secs, '\0', (size_t)(end - secs)) ? secs + strlen(secs) + 1 : end;
    s->done = 1;
    if (json > end || secs >= end) {
        snprintf(s->status, sizeof s->status, "failed: its message was malformed (%zu bytes)", len);
        return;
    }
    snprintf(s->status, sizeof s->status, "%s", status);
    if (host[0])
        snprintf(s->host, sizeof s->host, "%s", host);
    s->seconds = atof(secs);
    if (json < end) {
        rl_err perr = {0};
        char name[300];
        snprintf(name, sizeof name, "the result of %s", s->host);
        s->result = rl_result_from_json(json, (size_t)(end - json), name, &perr);
        if (!s->result)
            snprintf(s->status, sizeof s->status, "failed: %.500s", perr.msg);
    } else if (!strcmp(s->status, "ok")) {
        snprintf(s->status, sizeof s->status, "failed: it answered without a result");
    }
}

static void report(const rl_fleet_opts *o, const node_slot *s)
{
    if (!o->progress)
        return;
    char line[900];
    snprintf(line, sizeof line, "%s: %s (%.1f s)", s->host, s->status, s->seconds);
    o->progress(o->progress_user, line);
}

static void fail_slot(node_slot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_slot(node_slot *s, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(s->status, sizeof s->status, "failed: %s", why);
    s->seconds = -1;
    s->done = 1;
}

/* Rank 0: receives every other leader's message, within the deadlines (see fleet.h). */
static void collect(const rl_fleet_opts *o, MPI_Comm leaders, node_slot *slots, int n,
                    rl_fleet_outcome *oc)
{
    double limit = o->node_timeout_s + RL_FLEET_GRACE_S;
    int pending = 0;
    for (int i = 0; i < n; i++)
        pending += !slots[i].done;
    int next = 1; /* serial: the node whose turn it is */
    double deadline = now_s() + limit;
    while (pending > 0) {
        if (stopped(o)) {
            oc->interrupted = 1;
            for (int i = 0; i < n; i++)
                if (!slots[i].done) {
                    fail_slot(&slots[i], "no result: the run was interrupted");
                    report(o, &slots[i]);
                }
            return;
        }
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, leaders, &flag, &st);
        if (flag) {
            int count = 0;
            MPI_Get_count(&st, MPI_BYTE, &count);
            char *msg = malloc(count > 0 ? (size_t)count : 1);
            int src = st.MPI_SOURCE;
            if (!msg) { /* take it off the queue anyway */
                char dummy;
                MPI_Recv(&dummy, 0, MPI_BYTE, src, TAG_RESULT, leaders, MPI_STATUS_IGNORE);
                fail_slot(&slots[src], "out of memory receiving its result");
            } else {
                MPI_Recv(msg, count, MPI_BYTE, src, TAG_RESULT, leaders, MPI_STATUS_IGNORE);
                if (src > 0 && src < n && !slots[src].done)
                    unpack(&slots[src], msg, (size_t)count);
                else
                    src = -1; /* a node already given up: its late answer is dropped */
                free(msg);
            }
            if (src > 0) {
                pending--;
                report(o, &slots[src]);
                if (o->serial && src == next) {
                    while (next < n && slots[next].done)
                        next++;
                    deadline = now_s() + limit;
                }
            }
            continue;
        }
        if (now_s() > deadline) {
            if (o->serial) {
                fail_slot(&slots[next], "no answer within %.0f s (the rank hangs or died)", limit);
                report(o, &slots[next]);
                oc->unresponsive++;
                pending--;
                /* The token stopped there: hand it on, so the nodes after it still measure. */
                int token = 1;
                if (next + 1 < n)
                    MPI_Send(&token, 1, MPI_INT, next + 1, TAG_TOKEN, leaders);
                while (next < n && slots[next].done)
                    next++;
                deadline = now_s() + limit;
            } else {
                for (int i = 0; i < n; i++)
                    if (!slots[i].done) {
                        fail_slot(&slots[i], "no answer within %.0f s (the rank hangs or died)",
                                  limit);
                        report(o, &slots[i]);
                        oc->unresponsive++;
                    }
                return;
            }
            continue;
        }
        nap();
    }
}

/* Leaders: refuse to mix versions. Rank 0 names the nodes of each version. */
static int check_versions(const ident *ids, int n, rl_err *err)
{
    int same = 1;
    for (int i = 1; i < n; i++)
        same &= strcmp(ids[i].version, ids[0].version) == 0;
    if (same)
        return 0;
    char msg[900] = "";
    size_t used = 0;
    for (int i = 0; i < n && used < sizeof msg; i++) {
        int first = 1;
        for (int k = 0; k < i; k++)
            first &= strcmp(ids[k].version, ids[i].version) != 0;
        if (!first)
            continue;
        used += (size_t)snprintf(msg + used, sizeof msg - used, "%s%s on ", used ? "; " : "",
                                 ids[i].version);
        int listed = 0;
        for (int k = i; k < n && used < sizeof msg; k++)
            if (!strcmp(ids[k].version, ids[i].version))
                used += (size_t)snprintf(msg + used, sizeof msg - used, "%s%s",
                                         listed++ ? ", " : "", ids[k].host);
    }
    return rl_err_set(err, RL_EXIT_RUNTIME,
                      "roofline versions differ across nodes: %s (install one version everywhere)",
                      msg);
}

/* Every rank ends here: a barrier that does not spin, so the last measurements are undisturbed. */
static void idle_barrier(const rl_fleet_opts *o)
{
    MPI_Request req;
    MPI_Ibarrier(MPI_COMM_WORLD, &req);
    idle_wait(&req, o);
}

int rl_fleet_run(const rl_fleet_opts *o, rl_fleet **out, rl_fleet_outcome *oc, rl_err *err)
{
    *out = NULL;
    memset(oc, 0, sizeof *oc);
    int rank = 0, rc = -1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    oc->root = rank == 0;

    /* One leader per node: the lowest rank of each shared-memory domain (of each rank, with the
     * synthetic knob). World rank 0 is always a leader, and leader 0. */
    MPI_Comm node = MPI_COMM_NULL, leaders = MPI_COMM_NULL;
    if (o->synthetic)
        MPI_Comm_split(MPI_COMM_WORLD, rank, 0, &node);
    else
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
    int node_rank = 0;
    MPI_Comm_rank(node, &node_rank);
    MPI_Comm_split(MPI_COMM_WORLD, node_rank == 0 ? 0 : MPI_UNDEFINED, rank, &leaders);
    MPI_Comm_free(&node);
    if (leaders == MPI_COMM_NULL) { /* not a leader: stay out of the way until the end */
        idle_barrier(o);
        return 0;
    }
    int li = 0, n = 0;
    MPI_Comm_rank(leaders, &li);
    MPI_Comm_size(leaders, &n);

    ident me;
    memset(&me, 0, sizeof me);
    host_name(o, rank, me.host, sizeof me.host);
    snprintf(me.version, sizeof me.version, "%s", o->version);
    ident *ids = li == 0 ? calloc((size_t)n, sizeof *ids) : NULL;
    node_slot *slots = li == 0 ? calloc((size_t)n, sizeof *slots) : NULL;
    int go = 1;
    if (li == 0 && (!ids || !slots)) {
        go = 0;
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    }
    MPI_Gather(&me, (int)sizeof me, MPI_BYTE, ids, (int)sizeof me, MPI_BYTE, 0, leaders);
    if (li == 0 && go && check_versions(ids, n, err) != 0)
        go = 0;
    MPI_Bcast(&go, 1, MPI_INT, 0, leaders);
    if (!go) { /* rank 0 says why; the others end quietly */
        rc = li == 0 ? -1 : 0;
        goto done;
    }
    if (li == 0)
        for (int i = 0; i < n; i++)
            snprintf(slots[i].host, sizeof slots[i].host, "%s", ids[i].host);
    if (o->synthetic) /* everyone starts together: the time measured is the gather's */
        MPI_Barrier(leaders);

    /* Serial: wait for the token from the node before (or from rank 0, when that one hangs). */
    if (o->serial && li > 0) {
        int token = 0;
        MPI_Request req;
        MPI_Irecv(&token, 1, MPI_INT, MPI_ANY_SOURCE, TAG_TOKEN, leaders, &req);
        if (idle_wait(&req, o) != 0) {
            MPI_Cancel(&req);
            rc = 0;
            goto done;
        }
    }
    int len = 0;
    char *msg = measure_node(o, me.host, &len, err);
    if (!msg) { /* no child could be started: say so instead of a result */
        char why[1400];
        snprintf(why, sizeof why, "failed: %s", err->msg);
        len = (int)(strlen(why) + 1 + strlen(me.host) + 1 + 3);
        msg = malloc((size_t)len);
        if (msg) {
            memcpy(msg, why, strlen(why) + 1);
            memcpy(msg + strlen(why) + 1, me.host, strlen(me.host) + 1);
            memcpy(msg + strlen(why) + 1 + strlen(me.host) + 1, "-1", 3);
        }
        rl_err_clear(err);
    }
    if (li == 0) {
        if (msg)
            unpack(&slots[0], msg, (size_t)len);
        else
            fail_slot(&slots[0], "out of memory");
        report(o, &slots[0]);
    } else if (msg) {
        MPI_Request req;
        MPI_Isend(msg, len, MPI_BYTE, 0, TAG_RESULT, leaders, &req);
        if (idle_wait(&req, o) != 0) {
            free(msg);
            rc = 0;
            goto done;
        }
    }
    free(msg);
    if (o->serial && li + 1 < n) {
        int token = 1;
        MPI_Send(&token, 1, MPI_INT, li + 1, TAG_TOKEN, leaders);
    }
    if (li != 0) {
        rc = 0;
        goto done;
    }

    double t0 = now_s();
    collect(o, leaders, slots, n, oc);
    rl_fleet *f = rl_fleet_new();
    if (!f) {
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        goto done;
    }
    f->gather_s = now_s() - t0;
    f->serial = o->serial;
    f->partial = oc->interrupted;
    f->node_timeout_s = o->node_timeout_s;
    snprintf(f->command_line, sizeof f->command_line, "%s", o->command_line ? o->command_line : "");
    for (int i = 0; i < n; i++) {
        rl_result *r = slots[i].result;
        slots[i].result = NULL;
        if (rl_fleet_add_node(f, slots[i].host, slots[i].status, slots[i].seconds, r, err) != 0) {
            rl_fleet_free(f);
            goto done;
        }
    }
    *out = f;
    rc = 0;
done:
    if (slots)
        for (int i = 0; i < n; i++)
            rl_result_free(slots[i].result);
    free(slots);
    free(ids);
    MPI_Comm_free(&leaders);
    if (!(oc->root && (oc->unresponsive || oc->interrupted)))
        idle_barrier(o);
    return rc;
}
