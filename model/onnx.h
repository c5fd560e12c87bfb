/* onnx.h: an ONNX ModelProto reader that never loads weights.
 *
 * The file is mapped read-only and decoded straight from the protobuf wire format (no protobuf
 * library). Only the graph's structure is copied into the model's arena: names, attributes, dims
 * and data types. Weight bytes stay in the map (raw_data is a pointer and a length into it) and are
 * never touched; external-data initializers only have their file checked for existence and size, so
 * a stripped model whose weight file is gone still loads, with `weights_absent` set.
 *
 * Every length and count is checked against the bytes left and every element count against
 * overflow. An error is RL_EXIT_INPUT and reads
 *   resnet.onnx: offset 0x1a2f: node 17 'conv1' (Conv): attribute 'kernel_shape': varint longer ...
 */
#ifndef RL_ONNX_H
#define RL_ONNX_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "model/arena.h"

#define RL_ONNX_MAX_RANK 64

/* TensorProto.DataType */
enum {
    RL_DT_UNDEFINED = 0,
    RL_DT_FLOAT = 1,
    RL_DT_UINT8 = 2,
    RL_DT_INT8 = 3,
    RL_DT_UINT16 = 4,
    RL_DT_INT16 = 5,
    RL_DT_INT32 = 6,
    RL_DT_INT64 = 7,
    RL_DT_STRING = 8,
    RL_DT_BOOL = 9,
    RL_DT_FLOAT16 = 10,
    RL_DT_DOUBLE = 11,
    RL_DT_UINT32 = 12,
    RL_DT_UINT64 = 13,
    RL_DT_COMPLEX64 = 14,
    RL_DT_COMPLEX128 = 15,
    RL_DT_BFLOAT16 = 16,
    RL_DT_FLOAT8E4M3FN = 17,
    RL_DT_FLOAT8E4M3FNUZ = 18,
    RL_DT_FLOAT8E5M2 = 19,
    RL_DT_FLOAT8E5M2FNUZ = 20,
    RL_DT_UINT4 = 21, /* the 4-bit types pack two elements per byte, low nibble first */
    RL_DT_INT4 = 22,
    RL_DT_FLOAT4E2M1 = 23,
};

/* AttributeProto.AttributeType */
enum {
    RL_AT_UNDEFINED = 0,
    RL_AT_FLOAT = 1,
    RL_AT_INT = 2,
    RL_AT_STRING = 3,
    RL_AT_TENSOR = 4,
    RL_AT_GRAPH = 5,
    RL_AT_FLOATS = 6,
    RL_AT_INTS = 7,
    RL_AT_STRINGS = 8,
    RL_AT_TENSORS = 9,
    RL_AT_GRAPHS = 10,
};

/* Bits per element: 4 for the 4-bit types, 0 for strings and unknown types. */
unsigned rl_onnx_dtype_bits(int32_t dtype);
/* Bytes that `elems` elements of `dtype` occupy packed: ceil(elems x bits / 8). Returns 0 with
 * *bytes set; -1 when the type has no fixed size (bits 0) or the size overflows 64 bits. */
int rl_onnx_dtype_bytes(int32_t dtype, uint64_t elems, uint64_t *bytes);
const char *rl_onnx_dtype_name(int32_t dtype); /* "float32", "int64", ... or "type N" -> "?" */

enum { RL_DATA_NONE, RL_DATA_RAW, RL_DATA_TYPED, RL_DATA_EXTERNAL };

typedef struct rl_onnx_tensor {
    const char *name;
    int32_t dtype;
    int ndims;
    int64_t *dims;
    uint64_t elems; /* product of dims, overflow-checked */
    int location;   /* RL_DATA_* */
    const uint8_t *raw;
    size_t raw_len; /* raw_data: a view into the map, never copied */
    /* the TensorProto's bytes, decoded again only when a small tensor's values are asked for */
    const uint8_t *msg;
    size_t msg_len;
    const char *ext_location; /* external data */
    uint64_t ext_offset, ext_length;
    int ext_present;  /* 1 the external file exists and is long enough, 0 it is absent */
    size_t offset;    /* in the file, for messages */
    const char *file; /* file name, for messages */
    const uint8_t *base;
} rl_onnx_tensor;

typedef struct rl_onnx_dim {
    int64_t value;     /* -1 when not a fixed number */
    const char *param; /* symbolic name, or NULL */
} rl_onnx_dim;

typedef struct rl_onnx_value_info {
    const char *name;
    int32_t dtype; /* RL_DT_UNDEFINED for non-tensor types */
    int rank;      /* -1 when the shape is not given */
    rl_onnx_dim *dims;
} rl_onnx_value_info;

typedef struct rl_onnx_attr {
    const char *name;
    int type; /* RL_AT_* */
    float f;
    int64_t i;
    const char *s; /* NUL-terminated copy (strings are short) */
    size_t s_len;
    float *floats;
    size_t n_floats;
    int64_t *ints;
    size_t n_ints;
    rl_onnx_tensor *t;
    size_t offset;
} rl_onnx_attr;

typedef struct rl_onnx_node {
    const char *name; /* "" when unnamed */
    const char *op_type;
    const char *domain;
    const char **inputs; /* "" for an omitted optional input */
    size_t n_inputs;
    const char **outputs;
    size_t n_outputs;
    rl_onnx_attr *attrs;
    size_t n_attrs;
    size_t offset;
} rl_onnx_node;

typedef struct rl_onnx_model {
    const char *file; /* as given, for messages */
    int64_t ir_version;
    int64_t opset; /* of the default ("" or "ai.onnx") domain; 0 when absent */
    const char *producer;
    rl_onnx_node *nodes;
    size_t n_nodes;
    rl_onnx_tensor *inits;
    size_t n_inits;
    rl_onnx_value_info *inputs, *outputs, *value_info;
    size_t n_inputs, n_outputs, n_value_info;
    size_t n_external;         /* initializers stored outside the file */
    size_t n_external_missing; /* ... whose file is absent or too short */
    int weights_absent;        /* some weight data is absent (external file missing) */
    rl_arena *arena;
    void *map; /* owned mapping (rl_onnx_load), or NULL */
    size_t map_len;
} rl_onnx_model;

/* Maps and decodes `path`. External data is looked up beside it. */
int rl_onnx_load(const char *path, rl_onnx_model **out, rl_err *err);

/* Decodes `len` bytes at `data`, which must outlive the model (nothing is copied). `file` names the
 * model in messages; `dir` is where external data would be (NULL: not looked up, counted absent).
 */
int rl_onnx_parse(const void *data, size_t len, const char *file, const char *dir,
                  rl_onnx_model **out, rl_err *err);

void rl_onnx_free(rl_onnx_model *m); /* accepts NULL */

/* Decodes a standalone TensorProto (the backend tests' input_N.pb / output_N.pb) into `a`. */
int rl_onnx_tensor_parse(const void *data, size_t len, const char *file, rl_arena *a,
                         rl_onnx_tensor *out, rl_err *err);

/* Values of a tensor with at most `max` elements, as int64 (integer and bool types) or double
 * (floating types); either pointer may be NULL. Returns the element count, or -1 with err set when
 * the data is absent, too large or malformed. */
long rl_onnx_tensor_values(const rl_onnx_tensor *t, int64_t *iv, double *dv, size_t max,
                           rl_err *err);

const rl_onnx_attr *rl_onnx_attr_find(const rl_onnx_node *n, const char *name);
int64_t rl_onnx_attr_int(const rl_onnx_node *n, const char *name, int64_t dflt);
float rl_onnx_attr_float(const rl_onnx_node *n, const char *name, float dflt);
const char *rl_onnx_attr_string(const rl_onnx_node *n, const char *name, const char *dflt);

#endif
