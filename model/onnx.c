/* onnx.c: protobuf wire-format decoder for ONNX ModelProto (see onnx.h).
 *
 * One decoder state (`dec`) holds the file name, the start of the bytes, the arena and a context
 * string ("node 17 'conv1' (Conv): attribute 'kernel_shape'") that every error message carries with
 * its byte offset. Repeated fields are decoded in two passes: count, allocate once, fill. Nothing
 * is read past a length-delimited field's end, and a length is accepted only if that many bytes are
 * left. Field numbers follow onnx/onnx.proto (IR version 3 to 10). */
#include "model/onnx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5 };

typedef struct span {
    const uint8_t *p, *end;
} span;

typedef struct field {
    uint32_t no;
    int wire;
    uint64_t v; /* varint, or the fixed value */
    span sub;   /* WIRE_LEN payload (and the fixed bytes) */
    const uint8_t *at;
} field;

typedef struct dec {
    const char *file;
    const char *dir;
    const uint8_t *base;
    rl_arena *a;
    rl_err *err;
    char ctx[512];
} dec;

/* ---------------------------------------------------------------- errors and context */

static int fail(dec *d, const uint8_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(dec *d, const uint8_t *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rl_err_set(d->err, RL_EXIT_INPUT, "%s: offset 0x%zx: %s%s%s", d->file,
                      (size_t)(at - d->base), d->ctx, d->ctx[0] ? ": " : "", msg);
}

static int oom(dec *d, const uint8_t *at)
{
    fail(d, at, "out of memory");
    if (d->err)
        d->err->code = RL_EXIT_RUNTIME;
    return -1;
}

/* Appends to the context; returns the previous length so the caller can restore it. */
static size_t ctx_push(dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static size_t ctx_push(dec *d, const char *fmt, ...)
{
    size_t old = strlen(d->ctx);
    size_t pos = old;
    if (pos && pos + 2 < sizeof d->ctx) {
        memcpy(d->ctx + pos, ": ", 3);
        pos += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    if (pos < sizeof d->ctx)
        vsnprintf(d->ctx + pos, sizeof d->ctx - pos, fmt, ap);
    va_end(ap);
    return old;
}

static void ctx_pop(dec *d, size_t old)
{
    d->ctx[old] = '\0';
}

/* Names go into messages: keep them short and printable. */
static void printable(char *out, size_t size, const char *s)
{
    size_t j = 0;
    for (size_t i = 0; s && s[i] && j + 4 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        out[j++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        if (i == 60) {
            memcpy(out + j, "...", 3);
            j += 3;
            break;
        }
    }
    out[j] = '\0';
}

/* ---------------------------------------------------------------- wire format */

static int get_varint(dec *d, span *s, uint64_t *v)
{
    const uint8_t *start = s->p;
    uint64_t r = 0;
    for (int i = 0; i < 10; i++) {
        if (s->p >= s->end)
            return fail(d, start, "truncated varint");
        uint8_t b = *s->p++;
        if (i == 9) {
            if (b & 0x80)
                return fail(d, start, "varint longer than 10 bytes");
            if (b > 1)
                return fail(d, start, "varint overflows 64 bits");
        }
        r |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return fail(d, start, "varint longer than 10 bytes");
}

static uint64_t le_bytes(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Returns 1 with a field, 0 at the end of the span, -1 on error. */
static int next_field(dec *d, span *s, field *f)
{
    if (s->p >= s->end)
        return 0;
    f->at = s->p;
    uint64_t key;
    if (get_varint(d, s, &key) != 0)
        return -1;
    if ((key >> 3) == 0 || (key >> 3) > 0x1fffffff)
        return fail(d, f->at, "invalid field number %llu", (unsigned long long)(key >> 3));
    f->no = (uint32_t)(key >> 3);
    f->wire = (int)(key & 7);
    size_t left;
    switch (f->wire) {
    case WIRE_VARINT:
        return get_varint(d, s, &f->v) == 0 ? 1 : -1;
    case WIRE_I64:
    case WIRE_I32: {
        size_t n = f->wire == WIRE_I64 ? 8 : 4;
        if ((size_t)(s->end - s->p) < n)
            return fail(d, f->at, "field %u: truncated %zu-byte value", f->no, n);
        f->sub.p = s->p;
        f->sub.end = s->p + n;
        f->v = le_bytes(s->p, (int)n);
        s->p += n;
        return 1;
    }
    case WIRE_LEN: {
        uint64_t len;
        if (get_varint(d, s, &len) != 0)
            return -1;
        left = (size_t)(s->end - s->p);
        if (len > left)
            return fail(d, f->at, "field %u: length %llu exceeds the %zu bytes left", f->no,
                        (unsigned long long)len, left);
        f->sub.p = s->p;
        f->sub.end = s->p + len;
        s->p += len;
        return 1;
    }
    default:
        return fail(d, f->at, "field %u: unsupported wire type %d", f->no, f->wire);
    }
}

static const char *wire_name(int w)
{
    switch (w) {
    case WIRE_VARINT:
        return "varint";
    case WIRE_I64:
        return "64-bit";
    case WIRE_LEN:
        return "length-delimited";
    case WIRE_I32:
        return "32-bit";
    default:
        return "?";
    }
}

static int expect(dec *d, const field *f, int wire, const char *what)
{
    if (f->wire == wire)
        return 0;
    return fail(d, f->at, "%s (field %u): wire type %s, expected %s", what, f->no,
                wire_name(f->wire), wire_name(wire));
}

static int get_string(dec *d, const field *f, const char *what, const char **out, size_t *len)
{
    if (expect(d, f, WIRE_LEN, what) != 0)
        return -1;
    size_t n = (size_t)(f->sub.end - f->sub.p);
    char *s = rl_arena_strndup(d->a, (const char *)f->sub.p, n);
    if (!s)
        return oom(d, f->at);
    *out = s;
    if (len)
        *len = n;
    return 0;
}

/* Number of elements of a repeated varint field occurrence (packed or not). */
static size_t count_varints(const field *f)
{
    if (f->wire == WIRE_VARINT)
        return 1;
    if (f->wire != WIRE_LEN)
        return 0;
    size_t n = 0;
    for (const uint8_t *p = f->sub.p; p < f->sub.end; p++)
        n += !(*p & 0x80);
    return n + (f->sub.p < f->sub.end && (f->sub.end[-1] & 0x80)); /* a truncated last one */
}

/* Appends the varints of one occurrence to out[*n], never past cap. */
static int get_varints(dec *d, const field *f, const char *what, int64_t *out, size_t *n,
                       size_t cap)
{
    if (f->wire == WIRE_VARINT) {
        if (*n >= cap)
            return fail(d, f->at, "%s: more values than counted", what);
        out[(*n)++] = (int64_t)f->v;
        return 0;
    }
    if (f->wire != WIRE_LEN)
        return expect(d, f, WIRE_LEN, what);
    span s = f->sub;
    while (s.p < s.end) {
        uint64_t v;
        if (get_varint(d, &s, &v) != 0)
            return -1;
        if (*n >= cap)
            return fail(d, f->at, "%s: more values than counted", what);
        out[(*n)++] = (int64_t)v;
    }
    return 0;
}

static size_t count_fixed(const field *f, int wire, size_t width)
{
    if (f->wire == wire)
        return 1;
    if (f->wire == WIRE_LEN)
        return (size_t)(f->sub.end - f->sub.p) / width;
    return 0;
}

static int get_floats(dec *d, const field *f, const char *what, float *out, size_t *n, size_t cap)
{
    if (f->wire == WIRE_I32) {
        if (*n >= cap)
            return fail(d, f->at, "%s: more values than counted", what);
        uint32_t u = (uint32_t)f->v;
        memcpy(&out[(*n)++], &u, 4);
        return 0;
    }
    if (f->wire != WIRE_LEN)
        return expect(d, f, WIRE_LEN, what);
    size_t len = (size_t)(f->sub.end - f->sub.p);
    if (len % 4)
        return fail(d, f->at, "%s: packed floats of %zu bytes, not a multiple of 4", what, len);
    for (const uint8_t *p = f->sub.p; p < f->sub.end; p += 4) {
        if (*n >= cap)
            return fail(d, f->at, "%s: more values than counted", what);
        uint32_t u = (uint32_t)le_bytes(p, 4);
        memcpy(&out[(*n)++], &u, 4);
    }
    return 0;
}

/* ---------------------------------------------------------------- data types */

unsigned rl_onnx_dtype_bits(int32_t dtype)
{
    switch (dtype) {
    case RL_DT_UINT4:
    case RL_DT_INT4:
    case RL_DT_FLOAT4E2M1:
        return 4;
    case RL_DT_UINT8:
    case RL_DT_INT8:
    case RL_DT_BOOL:
    case RL_DT_FLOAT8E4M3FN:
    case RL_DT_FLOAT8E4M3FNUZ:
    case RL_DT_FLOAT8E5M2:
    case RL_DT_FLOAT8E5M2FNUZ:
        return 8;
    case RL_DT_UINT16:
    case RL_DT_INT16:
    case RL_DT_FLOAT16:
    case RL_DT_BFLOAT16:
        return 16;
    case RL_DT_FLOAT:
    case RL_DT_INT32:
    case RL_DT_UINT32:
        return 32;
    case RL_DT_INT64:
    case RL_DT_DOUBLE:
    case RL_DT_UINT64:
    case RL_DT_COMPLEX64:
        return 64;
    case RL_DT_COMPLEX128:
        return 128;
    default:
        return 0;
    }
}

int rl_onnx_dtype_bytes(int32_t dtype, uint64_t elems, uint64_t *bytes)
{
    uint64_t bits = rl_onnx_dtype_bits(dtype);
    if (bits == 0)
        return -1;
    /* elems = 8q + r: bytes = q x bits + ceil(r x bits / 8), with no intermediate overflow */
    uint64_t q = elems / 8, r = elems % 8, tail = (r * bits + 7) / 8;
    if (q > (UINT64_MAX - tail) / bits)
        return -1;
    *bytes = q * bits + tail;
    return 0;
}

const char *rl_onnx_dtype_name(int32_t dtype)
{
    static const char *const names[] = {"undefined",  "float32", "uint8",  "int8",   "uint16",
                                        "int16",      "int32",   "int64",  "string", "bool",
                                        "float16",    "float64", "uint32", "uint64", "complex64",
                                        "complex128", "bfloat16"};
    if (dtype >= 0 && (size_t)dtype < sizeof names / sizeof names[0])
        return names[dtype];
    switch (dtype) {
    case RL_DT_FLOAT8E4M3FN:
    case RL_DT_FLOAT8E4M3FNUZ:
    case RL_DT_FLOAT8E5M2:
    case RL_DT_FLOAT8E5M2FNUZ:
        return "float8";
    case RL_DT_UINT4:
        return "uint4";
    case RL_DT_INT4:
        return "int4";
    case RL_DT_FLOAT4E2M1:
        return "float4";
    default:
        return "?";
    }
}

/* ---------------------------------------------------------------- TensorProto */

static int parse_decimal(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

static int parse_external_entry(dec *d, span s, rl_onnx_tensor *t)
{
    field f;
    int r;
    const char *key = NULL, *value = NULL;
    while ((r = next_field(d, &s, &f)) > 0) {
        if (f.no == 1 && get_string(d, &f, "external_data key", &key, NULL) != 0)
            return -1;
        if (f.no == 2 && get_string(d, &f, "external_data value", &value, NULL) != 0)
            return -1;
    }
    if (r < 0)
        return -1;
    if (!key || !value)
        return 0;
    if (strcmp(key, "location") == 0) {
        t->ext_location = value;
    } else if (strcmp(key, "offset") == 0 || strcmp(key, "length") == 0) {
        uint64_t v;
        if (parse_decimal(value, &v) != 0)
            return fail(d, s.end, "external_data %s '%.40s' is not a number", key, value);
        if (key[0] == 'o')
            t->ext_offset = v;
        else
            t->ext_length = v;
    }
    return 0;
}

static void check_external(dec *d, rl_onnx_tensor *t, uint64_t need)
{
    t->ext_present = 0;
    if (!d->dir || !t->ext_location)
        return;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", d->dir, t->ext_location) >= (int)sizeof path)
        return;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    uint64_t len = t->ext_length ? t->ext_length : need;
    if (t->ext_offset > (uint64_t)st.st_size || len > (uint64_t)st.st_size - t->ext_offset)
        return;
    t->ext_present = 1;
}

static int parse_tensor(dec *d, span s, rl_onnx_tensor *t)
{
    field f;
    int r;
    size_t ndims = 0, has_typed = 0;
    int64_t location = 0;
    const uint8_t *start = s.p;
    memset(t, 0, sizeof *t);
    t->msg = s.p;
    t->msg_len = (size_t)(s.end - s.p);
    t->offset = (size_t)(s.p - d->base);
    t->file = d->file;
    t->base = d->base;
    t->name = "";

    /* first pass, quiet: the name (for messages) and the counts; an error found here is found
     * again, and reported with the name, by the second pass */
    span s1 = s;
    rl_err *saved = d->err;
    d->err = NULL;
    while (next_field(d, &s1, &f) > 0) {
        if (f.no == 1)
            ndims += count_varints(&f);
        else if (f.no == 8 && get_string(d, &f, "tensor name", &t->name, NULL) != 0)
            break;
    }
    d->err = saved;
    if (ndims > RL_ONNX_MAX_RANK)
        return fail(d, start, "tensor '%.60s': %zu dims, more than %d", t->name, ndims,
                    RL_ONNX_MAX_RANK);
    t->dims = rl_arena_array(d->a, ndims ? ndims : 1, sizeof(int64_t));
    if (!t->dims)
        return oom(d, start);

    size_t nd = 0;
    while ((r = next_field(d, &s, &f)) > 0) {
        switch (f.no) {
        case 1:
            if (get_varints(d, &f, "tensor dims", t->dims, &nd, ndims) != 0)
                return -1;
            break;
        case 2:
            if (expect(d, &f, WIRE_VARINT, "tensor data_type") != 0)
                return -1;
            if (f.v > 1000)
                return fail(d, f.at, "tensor '%.60s': data type %llu out of range", t->name,
                            (unsigned long long)f.v);
            t->dtype = (int32_t)f.v;
            break;
        case 9:
            if (expect(d, &f, WIRE_LEN, "tensor raw_data") != 0)
                return -1;
            t->raw = f.sub.p;
            t->raw_len = (size_t)(f.sub.end - f.sub.p);
            break;
        case 13:
            if (expect(d, &f, WIRE_LEN, "tensor external_data") != 0 ||
                parse_external_entry(d, f.sub, t) != 0)
                return -1;
            break;
        case 14:
            if (expect(d, &f, WIRE_VARINT, "tensor data_location") != 0)
                return -1;
            location = (int64_t)f.v;
            break;
        case 4:
        case 5:
        case 6:
        case 7:
        case 10:
        case 11:
            has_typed = 1;
            break;
        default:
            break;
        }
    }
    if (r < 0)
        return -1;
    t->ndims = (int)nd;

    uint64_t elems = 1;
    for (size_t i = 0; i < nd; i++) {
        if (t->dims[i] < 0)
            return fail(d, start, "tensor '%.60s': negative dimension %lld", t->name,
                        (long long)t->dims[i]);
        uint64_t dim = (uint64_t)t->dims[i];
        if (dim != 0 && elems > UINT64_MAX / dim)
            return fail(d, start, "tensor '%.60s': element count overflows", t->name);
        elems *= dim;
    }
    t->elems = elems;
    /* sized = the data type has a fixed size, so the bytes on disk can be checked (`need`) */
    int sized = rl_onnx_dtype_bits(t->dtype) != 0;
    uint64_t need = 0;
    if (sized && rl_onnx_dtype_bytes(t->dtype, elems, &need) != 0)
        return fail(d, start, "tensor '%.60s': byte size overflows", t->name);

    if (location == 1 || t->ext_location) {
        if (!t->ext_location)
            return fail(d, start, "tensor '%.60s': external data without a location", t->name);
        if (t->ext_length && sized && t->ext_length != need)
            return fail(d, start,
                        "tensor '%.60s': external data length %llu, dims and data type need %llu",
                        t->name, (unsigned long long)t->ext_length, (unsigned long long)need);
        t->location = RL_DATA_EXTERNAL;
        check_external(d, t, need);
    } else if (t->raw) {
        if (sized && t->raw_len != need)
            return fail(d, start,
                        "tensor '%.60s': raw_data is %zu bytes, dims and data type need %llu",
                        t->name, t->raw_len, (unsigned long long)need);
        t->location = RL_DATA_RAW;
    } else if (has_typed) {
        t->location = RL_DATA_TYPED;
    } else {
        t->location = elems == 0 ? RL_DATA_RAW : RL_DATA_NONE;
    }
    return 0;
}

/* ---------------------------------------------------------------- ValueInfoProto */

static int parse_shape(dec *d, span s, rl_onnx_value_info *vi)
{
    field f;
    int r;
    size_t n = 0;
    span s1 = s;
    while ((r = next_field(d, &s1, &f)) > 0)
        n += f.no == 1;
    if (r < 0)
        return -1;
    if (n > RL_ONNX_MAX_RANK)
        return fail(d, s.p, "shape of rank %zu, more than %d", n, RL_ONNX_MAX_RANK);
    vi->dims = rl_arena_array(d->a, n ? n : 1, sizeof *vi->dims);
    if (!vi->dims)
        return oom(d, s.p);
    vi->rank = 0;
    while ((r = next_field(d, &s, &f)) > 0) {
        if (f.no != 1)
            continue;
        if (expect(d, &f, WIRE_LEN, "shape dim") != 0)
            return -1;
        rl_onnx_dim *dim = &vi->dims[vi->rank++];
        dim->value = -1;
        span ds = f.sub;
        field g;
        while ((r = next_field(d, &ds, &g)) > 0) {
            if (g.no == 1) {
                if (expect(d, &g, WIRE_VARINT, "dim_value") != 0)
                    return -1;
                dim->value = (int64_t)g.v < 0 ? -1 : (int64_t)g.v;
            } else if (g.no == 2) {
                if (get_string(d, &g, "dim_param", &dim->param, NULL) != 0)
                    return -1;
            }
        }
        if (r < 0)
            return -1;
    }
    return r;
}

static int parse_value_info(dec *d, span s, rl_onnx_value_info *vi)
{
    field f;
    int r;
    vi->name = "";
    vi->rank = -1;
    while ((r = next_field(d, &s, &f)) > 0) {
        if (f.no == 1) {
            if (get_string(d, &f, "value name", &vi->name, NULL) != 0)
                return -1;
        } else if (f.no == 2) {
            if (expect(d, &f, WIRE_LEN, "value type") != 0)
                return -1;
            span ts = f.sub;
            field g;
            while ((r = next_field(d, &ts, &g)) > 0) {
                if (g.no != 1)
                    continue; /* sequence, map, optional: not tensors */
                if (expect(d, &g, WIRE_LEN, "tensor_type") != 0)
                    return -1;
                span tt = g.sub;
                field h;
                while ((r = next_field(d, &tt, &h)) > 0) {
                    if (h.no == 1) {
                        if (expect(d, &h, WIRE_VARINT, "elem_type") != 0)
                            return -1;
                        vi->dtype = h.v > 1000 ? RL_DT_UNDEFINED : (int32_t)h.v;
                    } else if (h.no == 2) {
                        if (expect(d, &h, WIRE_LEN, "shape") != 0 || parse_shape(d, h.sub, vi) < 0)
                            return -1;
                    }
                }
                if (r < 0)
                    return -1;
            }
            if (r < 0)
                return -1;
        }
    }
    return r;
}

/* ---------------------------------------------------------------- AttributeProto */

static int parse_attr(dec *d, span s, rl_onnx_attr *at)
{
    field f;
    int r;
    size_t n_ints = 0, n_floats = 0;
    at->offset = (size_t)(s.p - d->base);
    at->name = "";
    span s1 = s;
    rl_err *saved = d->err;
    d->err = NULL; /* quiet first pass, as in parse_tensor */
    while (next_field(d, &s1, &f) > 0) {
        if (f.no == 1 && get_string(d, &f, "attribute name", &at->name, NULL) != 0)
            break;
        if (f.no == 8)
            n_ints += count_varints(&f);
        if (f.no == 7)
            n_floats += count_fixed(&f, WIRE_I32, 4);
    }
    d->err = saved;
    char nm[80];
    printable(nm, sizeof nm, at->name);
    size_t old = ctx_push(d, "attribute '%s'", nm);
    if (n_ints && !(at->ints = rl_arena_array(d->a, n_ints, sizeof(int64_t))))
        return oom(d, s.p);
    if (n_floats && !(at->floats = rl_arena_array(d->a, n_floats, sizeof(float))))
        return oom(d, s.p);
    int seen = RL_AT_UNDEFINED;
    while ((r = next_field(d, &s, &f)) > 0) {
        switch (f.no) {
        case 20:
            if (expect(d, &f, WIRE_VARINT, "type") != 0)
                return -1;
            at->type = f.v > 100 ? -1 : (int)f.v;
            break;
        case 2:
            if (expect(d, &f, WIRE_I32, "f") != 0)
                return -1;
            {
                uint32_t u = (uint32_t)f.v;
                memcpy(&at->f, &u, 4);
            }
            seen = RL_AT_FLOAT;
            break;
        case 3:
            if (expect(d, &f, WIRE_VARINT, "i") != 0)
                return -1;
            at->i = (int64_t)f.v;
            seen = RL_AT_INT;
            break;
        case 4:
            if (get_string(d, &f, "s", &at->s, &at->s_len) != 0)
                return -1;
            seen = RL_AT_STRING;
            break;
        case 5:
            if (expect(d, &f, WIRE_LEN, "t") != 0)
                return -1;
            if (!(at->t = rl_arena_alloc(d->a, sizeof *at->t)))
                return oom(d, f.at);
            if (parse_tensor(d, f.sub, at->t) != 0)
                return -1;
            seen = RL_AT_TENSOR;
            break;
        case 6:
            seen = RL_AT_GRAPH; /* subgraphs are not analysed */
            break;
        case 7:
            if (get_floats(d, &f, "floats", at->floats, &at->n_floats, n_floats) != 0)
                return -1;
            seen = RL_AT_FLOATS;
            break;
        case 8:
            if (get_varints(d, &f, "ints", at->ints, &at->n_ints, n_ints) != 0)
                return -1;
            seen = RL_AT_INTS;
            break;
        case 9:
            seen = RL_AT_STRINGS;
            break;
        case 10:
            seen = RL_AT_TENSORS;
            break;
        case 11:
            seen = RL_AT_GRAPHS;
            break;
        default:
            break;
        }
    }
    if (r < 0)
        return -1;
    if (at->type == RL_AT_UNDEFINED) /* IR < 2 had no type field */
        at->type = seen;
    ctx_pop(d, old);
    return 0;
}

/* ---------------------------------------------------------------- NodeProto */

static int parse_node(dec *d, span s, size_t index, rl_onnx_node *n)
{
    field f;
    int r;
    size_t ni = 0, no = 0, na = 0;
    n->offset = (size_t)(s.p - d->base);
    n->name = n->op_type = n->domain = "";
    size_t old = strlen(d->ctx);
    span s1 = s;
    rl_err *saved = d->err;
    d->err = NULL; /* quiet first pass, as in parse_tensor */
    while (next_field(d, &s1, &f) > 0) {
        int bad = 0;
        if (f.no == 1)
            ni++;
        else if (f.no == 2)
            no++;
        else if (f.no == 5)
            na++;
        else if (f.no == 3)
            bad = get_string(d, &f, "node name", &n->name, NULL);
        else if (f.no == 4)
            bad = get_string(d, &f, "op_type", &n->op_type, NULL);
        else if (f.no == 7)
            bad = get_string(d, &f, "domain", &n->domain, NULL);
        if (bad)
            break;
    }
    d->err = saved;
    char nm[80], op[80];
    printable(nm, sizeof nm, n->name);
    printable(op, sizeof op, n->op_type);
    ctx_push(d, "node %zu '%s' (%s)", index, nm, op);
    if (!n->op_type[0])
        return fail(d, s.p, "no op_type");
    n->inputs = rl_arena_array(d->a, ni ? ni : 1, sizeof(char *));
    n->outputs = rl_arena_array(d->a, no ? no : 1, sizeof(char *));
    n->attrs = rl_arena_array(d->a, na ? na : 1, sizeof(rl_onnx_attr));
    if (!n->inputs || !n->outputs || !n->attrs)
        return oom(d, s.p);
    while ((r = next_field(d, &s, &f)) > 0) {
        if ((f.no == 1 && n->n_inputs >= ni) || (f.no == 2 && n->n_outputs >= no) ||
            (f.no == 5 && n->n_attrs >= na))
            return fail(d, f.at, "more fields than counted");
        if (f.no == 1) {
            if (get_string(d, &f, "input", &n->inputs[n->n_inputs++], NULL) != 0)
                return -1;
        } else if (f.no == 2) {
            if (get_string(d, &f, "output", &n->outputs[n->n_outputs++], NULL) != 0)
                return -1;
        } else if (f.no == 5) {
            if (expect(d, &f, WIRE_LEN, "attribute") != 0 ||
                parse_attr(d, f.sub, &n->attrs[n->n_attrs++]) != 0)
                return -1;
        }
    }
    if (r < 0)
        return -1;
    ctx_pop(d, old);
    return 0;
}

/* ---------------------------------------------------------------- GraphProto, ModelProto */

static int parse_graph(dec *d, span s, rl_onnx_model *m)
{
    field f;
    int r;
    size_t nn = 0, nin = 0, nvi_in = 0, nvi_out = 0, nvi = 0;
    span s1 = s;
    while ((r = next_field(d, &s1, &f)) > 0) {
        nn += f.no == 1;
        nin += f.no == 5;
        nvi_in += f.no == 11;
        nvi_out += f.no == 12;
        nvi += f.no == 13;
    }
    if (r < 0)
        return -1;
    m->nodes = rl_arena_array(d->a, nn ? nn : 1, sizeof *m->nodes);
    m->inits = rl_arena_array(d->a, nin ? nin : 1, sizeof *m->inits);
    m->inputs = rl_arena_array(d->a, nvi_in ? nvi_in : 1, sizeof *m->inputs);
    m->outputs = rl_arena_array(d->a, nvi_out ? nvi_out : 1, sizeof *m->outputs);
    m->value_info = rl_arena_array(d->a, nvi ? nvi : 1, sizeof *m->value_info);
    if (!m->nodes || !m->inits || !m->inputs || !m->outputs || !m->value_info)
        return oom(d, s.p);
    while ((r = next_field(d, &s, &f)) > 0) {
        size_t old;
        switch (f.no) {
        case 1:
            if (expect(d, &f, WIRE_LEN, "node") != 0 ||
                parse_node(d, f.sub, m->n_nodes, &m->nodes[m->n_nodes]) != 0)
                return -1;
            m->n_nodes++;
            break;
        case 5:
            old = ctx_push(d, "initializer %zu", m->n_inits);
            if (expect(d, &f, WIRE_LEN, "initializer") != 0 ||
                parse_tensor(d, f.sub, &m->inits[m->n_inits]) != 0)
                return -1;
            ctx_pop(d, old);
            if (m->inits[m->n_inits].location == RL_DATA_EXTERNAL) {
                m->n_external++;
                if (!m->inits[m->n_inits].ext_present) {
                    m->n_external_missing++;
                    m->weights_absent = 1;
                }
            }
            m->n_inits++;
            break;
        case 11:
        case 12:
        case 13: {
            rl_onnx_value_info *vi = f.no == 11   ? &m->inputs[m->n_inputs++]
                                     : f.no == 12 ? &m->outputs[m->n_outputs++]
                                                  : &m->value_info[m->n_value_info++];
            old = ctx_push(d, "%s",
                           f.no == 11   ? "graph input"
                           : f.no == 12 ? "graph output"
                                        : "value_info");
            if (expect(d, &f, WIRE_LEN, "value info") != 0 || parse_value_info(d, f.sub, vi) != 0)
                return -1;
            ctx_pop(d, old);
            break;
        }
        default:
            break;
        }
    }
    return r;
}

static int parse_model(dec *d, span s, rl_onnx_model *m)
{
    field f;
    int r;
    span graph = {NULL, NULL};
    while ((r = next_field(d, &s, &f)) > 0) {
        switch (f.no) {
        case 1:
            if (expect(d, &f, WIRE_VARINT, "ir_version") != 0)
                return -1;
            m->ir_version = (int64_t)f.v;
            break;
        case 2:
            if (get_string(d, &f, "producer_name", &m->producer, NULL) != 0)
                return -1;
            break;
        case 7:
            if (expect(d, &f, WIRE_LEN, "graph") != 0)
                return -1;
            graph = f.sub;
            break;
        case 8: {
            if (expect(d, &f, WIRE_LEN, "opset_import") != 0)
                return -1;
            span os = f.sub;
            field g;
            const char *domain = "";
            int64_t version = 0;
            while ((r = next_field(d, &os, &g)) > 0) {
                if (g.no == 1 && get_string(d, &g, "opset domain", &domain, NULL) != 0)
                    return -1;
                if (g.no == 2) {
                    if (expect(d, &g, WIRE_VARINT, "opset version") != 0)
                        return -1;
                    version = (int64_t)g.v;
                }
            }
            if (r < 0)
                return -1;
            if (domain[0] == '\0' || strcmp(domain, "ai.onnx") == 0)
                m->opset = version;
            break;
        }
        default:
            break;
        }
    }
    if (r < 0)
        return -1;
    if (!graph.p)
        return fail(d, s.end, "no graph (not an ONNX model?)");
    return parse_graph(d, graph, m);
}

int rl_onnx_parse(const void *data, size_t len, const char *file, const char *dir,
                  rl_onnx_model **out, rl_err *err)
{
    *out = NULL;
    rl_onnx_model *m = calloc(1, sizeof *m);
    rl_arena *a = rl_arena_new();
    if (!m || !a) {
        free(m);
        rl_arena_free(a);
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", file);
    }
    m->arena = a;
    m->file = rl_arena_strdup(a, file);
    m->producer = "";
    if (!m->file) {
        rl_onnx_free(m);
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", file);
    }
    dec d = {.file = m->file, .dir = dir, .base = data, .a = a, .err = err};
    d.ctx[0] = '\0';
    span s = {data, (const uint8_t *)data + len};
    if (len == 0) {
        rl_onnx_free(m);
        return rl_err_set(err, RL_EXIT_INPUT, "%s: empty file", file);
    }
    if (parse_model(&d, s, m) != 0) {
        rl_onnx_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

int rl_onnx_load(const char *path, rl_onnx_model **out, rl_err *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return rl_err_set(err, RL_EXIT_INPUT, "%s: not a regular file", path);
    }
    size_t len = (size_t)st.st_size;
    void *map = NULL;
    if (len > 0) {
        map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            close(fd);
            return rl_err_set(err, RL_EXIT_INPUT, "%s: cannot map: %s", path, strerror(errno));
        }
        /* only the graph's structure is read: no read-ahead into the weights around it */
        madvise(map, len, MADV_RANDOM);
    }
    close(fd);

    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    if (slash == path)
        snprintf(dir, sizeof dir, "/");

    const char *base = slash ? slash + 1 : path;
    if (rl_onnx_parse(map ? map : "", len, base, dir, out, err) != 0) {
        if (map)
            munmap(map, len);
        return -1;
    }
    (*out)->map = map;
    (*out)->map_len = len;
    return 0;
}

void rl_onnx_free(rl_onnx_model *m)
{
    if (!m)
        return;
    if (m->map)
        munmap(m->map, m->map_len);
    rl_arena_free(m->arena);
    free(m);
}

int rl_onnx_tensor_parse(const void *data, size_t len, const char *file, rl_arena *a,
                         rl_onnx_tensor *out, rl_err *err)
{
    dec d = {.file = file, .dir = NULL, .base = data, .a = a, .err = err};
    d.ctx[0] = '\0';
    span s = {data, (const uint8_t *)data + len};
    return parse_tensor(&d, s, out);
}

/* ---------------------------------------------------------------- values of small tensors */

static double half_to_double(uint16_t h)
{
    int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    double v;
    if (e == 0)
        v = m * (1.0 / (1 << 24));
    else if (e == 31)
        v = m ? 0.0 / 0.0 : 1.0 / 0.0;
    else
        v = (1.0 + m / 1024.0) * (double)(1u << e) / (double)(1u << 15);
    return (h & 0x8000) ? -v : v;
}

static void store(const rl_onnx_tensor *t, size_t i, uint64_t bits, int64_t *iv, double *dv)
{
    double x;
    int64_t k;
    switch (t->dtype) {
    case RL_DT_FLOAT: {
        float f;
        uint32_t u = (uint32_t)bits;
        memcpy(&f, &u, 4);
        x = f;
        k = (x > -9.2e18 && x < 9.2e18) ? (int64_t)x : 0;
        break;
    }
    case RL_DT_DOUBLE:
        memcpy(&x, &bits, 8);
        k = (x > -9.2e18 && x < 9.2e18) ? (int64_t)x : 0;
        break;
    case RL_DT_FLOAT16:
        x = half_to_double((uint16_t)bits);
        k = (x > -9.2e18 && x < 9.2e18) ? (int64_t)x : 0;
        break;
    case RL_DT_BFLOAT16: {
        float f;
        uint32_t u = (uint32_t)bits << 16;
        memcpy(&f, &u, 4);
        x = f;
        k = (x > -9.2e18 && x < 9.2e18) ? (int64_t)x : 0;
        break;
    }
    case RL_DT_INT8:
        k = (int8_t)bits;
        x = (double)k;
        break;
    case RL_DT_INT16:
        k = (int16_t)bits;
        x = (double)k;
        break;
    case RL_DT_INT32:
        k = (int32_t)bits;
        x = (double)k;
        break;
    case RL_DT_BOOL:
        k = bits != 0;
        x = (double)k;
        break;
    default:
        k = (int64_t)bits;
        x = t->dtype == RL_DT_UINT64 ? (double)bits : (double)k;
        break;
    }
    if (iv)
        iv[i] = k;
    if (dv)
        dv[i] = x;
}

long rl_onnx_tensor_values(const rl_onnx_tensor *t, int64_t *iv, double *dv, size_t max,
                           rl_err *err)
{
    if (t->elems > max)
        return rl_err_set(err, RL_EXIT_INPUT, "tensor '%s': %llu elements, more than %zu", t->name,
                          (unsigned long long)t->elems, max);
    unsigned bits = rl_onnx_dtype_bits(t->dtype);
    size_t n = (size_t)t->elems, esize = bits / 8;
    if (bits == 0 || bits % 8 || bits > 64 || t->dtype == RL_DT_COMPLEX64)
        return rl_err_set(err, RL_EXIT_INPUT, "tensor '%s': values of type %s not read", t->name,
                          rl_onnx_dtype_name(t->dtype));
    if (t->location == RL_DATA_RAW) {
        if (n == 0)
            return 0;
        if (!t->raw || t->raw_len != n * esize)
            return rl_err_set(err, RL_EXIT_INPUT, "tensor '%s': raw_data size mismatch", t->name);
        for (size_t i = 0; i < n; i++)
            store(t, i, le_bytes(t->raw + i * esize, (int)esize), iv, dv);
        return (long)n;
    }
    if (t->location != RL_DATA_TYPED)
        return rl_err_set(err, RL_EXIT_INPUT, "tensor '%s': data absent", t->name);

    /* typed fields: int32_data(5) for small ints, bool and float16; int64_data(7); float_data(4);
     * double_data(10); uint64_data(11) for uint32/uint64 */
    uint32_t want;
    switch (t->dtype) {
    case RL_DT_FLOAT:
        want = 4;
        break;
    case RL_DT_DOUBLE:
        want = 10;
        break;
    case RL_DT_INT64:
        want = 7;
        break;
    case RL_DT_UINT32:
    case RL_DT_UINT64:
        want = 11;
        break;
    default:
        want = 5;
        break;
    }
    dec d = {.file = t->file, .base = t->base, .err = err};
    snprintf(d.ctx, sizeof d.ctx, "tensor '%.60s'", t->name);
    span s = {t->msg, t->msg + t->msg_len};
    field f;
    int r;
    size_t k = 0;
    while ((r = next_field(&d, &s, &f)) > 0) {
        if (f.no != want)
            continue;
        if (want == 4 || want == 10) {
            size_t w = want == 4 ? 4 : 8;
            int wire = want == 4 ? WIRE_I32 : WIRE_I64;
            if (f.wire == wire) {
                if (k >= n)
                    return fail(&d, f.at, "more values than dims");
                store(t, k++, f.v, iv, dv);
            } else if (f.wire == WIRE_LEN) {
                if ((size_t)(f.sub.end - f.sub.p) % w)
                    return fail(&d, f.at, "packed data not a multiple of %zu bytes", w);
                for (const uint8_t *p = f.sub.p; p < f.sub.end; p += w) {
                    if (k >= n)
                        return fail(&d, f.at, "more values than dims");
                    store(t, k++, le_bytes(p, (int)w), iv, dv);
                }
            } else {
                return expect(&d, &f, WIRE_LEN, "tensor data");
            }
        } else {
            span vs = f.sub;
            if (f.wire == WIRE_VARINT) {
                if (k >= n)
                    return fail(&d, f.at, "more values than dims");
                store(t, k++, f.v, iv, dv);
                continue;
            }
            if (f.wire != WIRE_LEN)
                return expect(&d, &f, WIRE_LEN, "tensor data");
            while (vs.p < vs.end) {
                uint64_t v;
                if (get_varint(&d, &vs, &v) != 0)
                    return -1;
                if (k >= n)
                    return fail(&d, f.at, "more values than dims");
                store(t, k++, v, iv, dv);
            }
        }
    }
    if (r < 0)
        return -1;
    if (k != n)
        return fail(&d, t->msg, "%zu values, dims say %zu", k, n);
    return (long)n;
}

/* ---------------------------------------------------------------- attributes */

const rl_onnx_attr *rl_onnx_attr_find(const rl_onnx_node *n, const char *name)
{
    for (size_t i = 0; i < n->n_attrs; i++)
        if (strcmp(n->attrs[i].name, name) == 0)
            return &n->attrs[i];
    return NULL;
}

int64_t rl_onnx_attr_int(const rl_onnx_node *n, const char *name, int64_t dflt)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(n, name);
    return a && a->type == RL_AT_INT ? a->i : dflt;
}

float rl_onnx_attr_float(const rl_onnx_node *n, const char *name, float dflt)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(n, name);
    return a && a->type == RL_AT_FLOAT ? a->f : dflt;
}

const char *rl_onnx_attr_string(const rl_onnx_node *n, const char *name, const char *dflt)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(n, name);
    /* A STRING attribute may lack its `s` field (found by fuzzing: ConvTranspose's auto_pad then
     * reached strcmp(NULL, ...)): absent is the default, as for a missing attribute. */
    return a && a->type == RL_AT_STRING && a->s ? a->s : dflt;
}
