# roofline: a plain Makefile.
#
#   make                      build ./roofline
#   make run                  install dependencies (Debian), build, measure this machine
#   make test                 build and run the test suite
#   make SANITIZE=address,undefined test
#   make install PREFIX=/usr/local
#   make format / make format-check
#
# Sources are found by folder, so adding a module is adding a file. Kernels live in one folder per
# architecture (kernels/x86/) and carry their ISA in their name (kernels/x86/fma_avx2.c): each gets
# only that ISA's -m flags, so nothing wider leaks into generic code, and the runner picks a kernel
# at run time after checking CPUID and XCR0. Everything else is portable C.

CC      ?= cc
PREFIX  ?= /usr/local
VERSION := 0.1.0
HOST_ARCH := $(shell uname -m)
comma   := ,

# `make ARCH=aarch64` on another host cross-builds with Debian's cross compiler
# (gcc-aarch64-linux-gnu) against the arm64 multiarch libraries (dpkg --add-architecture arm64;
# scripts/install-deps.sh --test installs them through scripts/install-cross-aarch64.sh), unless
# CC names a compiler of its own.
ifeq ($(origin ARCH),command line)
ifeq ($(origin CC),default)
ifneq ($(ARCH),$(HOST_ARCH))
CC := $(ARCH)-linux-gnu-gcc
endif
endif
endif

# The target architecture is the compiler's: the first field of `$(CC) -dumpmachine` (x86_64,
# aarch64), which is also what the registries' #if lines see (kernels/fma.c, kernels/stream.c). An
# ARCH in the environment is ignored on purpose (other build systems use it for their own names);
# `make ARCH=...` overrides it, and then CC must target that architecture too.
#   ARCH_DIRS  the architecture's kernel folders, built with the per-ISA rules below
#   ARCH_KEEP  which architecture-named files (*_x86.c: probes/cpu_x86.c) are built; the others
#              are left out. The ARM probe (probes/cpu_arm.c) and table (probes/uarch_arm.c) are
#              built everywhere: `roofline probe --cpuinfo FILE` describes an ARM machine from any
#              host.
#   ARCH_PKGS  libraries only that architecture uses (libcpuid decodes x86 CPUID)
#   ARCH_TESTS the test files of that architecture's suite
ARCH       := $(firstword $(subst -, ,$(shell $(CC) -dumpmachine)))
ARCH_NAMED := $(wildcard */*_x86.c)
ifeq ($(ARCH),x86_64)
ARCH_DIRS  := kernels/x86
ARCH_KEEP  := %_x86.c
ARCH_PKGS  := libcpuid
ARCH_TESTS  = $(filter-out tests/test_%_aarch64.c,$(wildcard tests/test_*.c))
else ifeq ($(ARCH),aarch64)
ARCH_DIRS  := kernels/arm
ARCH_KEEP  :=
ARCH_PKGS  :=
ARCH_TESTS  = $(ARM_TESTS)
else
# No kernels for this architecture: the registries are empty, the CPU probe reads /proc/cpuinfo,
# and what cannot be measured is reported as not measured.
ARCH_DIRS  :=
ARCH_KEEP  :=
ARCH_PKGS  :=
ARCH_TESTS  = $(filter-out tests/test_%_aarch64.c,$(ARM_TESTS))
endif
# The aarch64 suite (run under qemu when cross-built): what differs on ARM, the portable ARM
# identity and table tests (test_*_arm.c, in the x86 suite too), the kernels and clock
# (test_*_aarch64.c, ARM only) and a few portable modules; the x86 suite's CPUID, AVX and
# timing-heavy cases stay out.
ARM_TESTS  := $(wildcard tests/test_*_arm.c tests/test_*_aarch64.c) tests/test_common.c \
              tests/test_result.c
NOT_ARCH   := $(filter-out $(ARCH_KEEP),$(ARCH_NAMED))
PKGS    := hwloc $(ARCH_PKGS) libcjson

# Cross builds: the target's pkg-config files, a build folder of their own, and Criterion from
# the private folder scripts/install-cross-aarch64.sh unpacks it into (Debian's libcriterion-dev
# cannot be installed for two architectures at once). The tests run under qemu-user
# (scripts/run-tests-cross.sh).
CROSS := $(if $(filter $(HOST_ARCH),$(ARCH)),,$(ARCH))
ifneq ($(CROSS),)
PKG_CONFIG ?= PKG_CONFIG_LIBDIR=/usr/lib/$(ARCH)-linux-gnu/pkgconfig:/usr/share/pkgconfig pkg-config
CROSS_CRITERION ?= /opt/roofline-cross/criterion-$(ARCH)
CRITERION_LIB   := $(CROSS_CRITERION)/usr/lib/$(ARCH)-linux-gnu
TEST_CFLAGS  := -isystem $(CROSS_CRITERION)/usr/include
TEST_LDFLAGS := -L$(CRITERION_LIB) -Wl,--disable-new-dtags,-rpath,$(CRITERION_LIB)
# The host's nvcc and mpicc build for the host: a cross build has no CUDA plugin and no fleet.
NVCC  := none
MPICC := none
# AddressSanitizer's shadow memory does not fit in qemu-user's address space (every test aborts in
# its mapping), so a cross build keeps the other sanitizers and leaves address out.
empty :=
space := $(empty) $(empty)
override SANITIZE := $(subst $(space),$(comma),$(filter-out address,$(subst $(comma), ,$(SANITIZE))))
else
PKG_CONFIG ?= pkg-config
endif

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wconversion
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -fopenmp $(WARN) -I. -DRL_VERSION=\"$(VERSION)\"
CFLAGS  += $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm -ldl
LDFLAGS += -fopenmp

ifdef WERROR
CFLAGS  += -Werror
endif

ifdef SANITIZE
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
BUILD   := build/$(if $(CROSS),$(CROSS)-)san
else
BUILD   := build/$(if $(CROSS),$(CROSS)-)rel
endif

LIB_DIRS := common probes kernels runner result report model
# The fleet's MPI code (runner/fleet.c) and its command (cli/fleet/) build only with mpicc, below.
FLEET_MPI_SRC := runner/fleet.c
FLEET_CLI_SRC := $(wildcard cli/fleet/*.c)
LIB_SRC  := $(filter-out $(NOT_ARCH) $(FLEET_MPI_SRC),$(foreach d,$(LIB_DIRS) $(ARCH_DIRS),$(wildcard $(d)/*.c)))
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(filter-out $(NOT_ARCH),$(ARCH_TESTS)) tests/helpers.c
# The HTML pages' template, styles and script (report/html/) are files of their own, embedded at
# build time as byte arrays in a generated C file (report/html_assets.h declares them).
HTML_ASSETS := report/html/page.html report/html/page.css report/html/page.js
HTML_GEN    := $(BUILD)/gen/html_assets.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/html_assets.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libroofline.a
BIN      := $(BUILD)/roofline
TESTBIN  := $(BUILD)/roofline-tests

NVCC       ?= $(firstword $(shell command -v nvcc 2>/dev/null) $(wildcard /usr/local/cuda/bin/nvcc))
CUDA_ARCHS ?= 75 80 86 89 90a 100 120
# Only the architectures this nvcc knows (an older toolkit lacks sm_100/sm_120), and PTX of the
# newest of them for GPUs newer still.
NVCC_CODES  := $(if $(filter-out none,$(NVCC)),$(shell $(NVCC) --list-gpu-code 2>/dev/null))
CUDA_BUILT  := $(if $(NVCC_CODES),$(foreach a,$(CUDA_ARCHS),$(if $(filter sm_$(a:%a=%),$(NVCC_CODES)),$(a))),$(CUDA_ARCHS))
CUDA_PTX    := $(lastword $(filter-out %a,$(CUDA_BUILT)))
CUDA_GENCODE := $(foreach a,$(CUDA_BUILT),-gencode=arch=compute_$(a),code=sm_$(a)) \
                $(if $(CUDA_PTX),-gencode=arch=compute_$(CUDA_PTX)$(comma)code=compute_$(CUDA_PTX))
CUDA_SRC    := $(wildcard kernels/cuda/*.cu)
CUDA_OBJ    := $(CUDA_SRC:kernels/cuda/%.cu=$(BUILD)/cuda/%.o)
CUDA_PLUGIN := $(BUILD)/libroofline-cuda.so
ifeq ($(filter-out none,$(NVCC)),)
CUDA_TARGET := cuda-skipped
else
CUDA_TARGET := libroofline-cuda.so
endif

# The fleet mode (roofline-fleet, docs/fleet.md): the job on every node of a cluster over MPI. A
# separate binary, built wherever mpicc is found (MPICC= to point at one, MPICC=none to skip), so
# roofline itself never links MPI. It shares the library and the CLI helpers (cli/util.c, stop.c).
MPICC      ?= $(shell command -v mpicc 2>/dev/null)
FLEET_OBJ  := $(FLEET_MPI_SRC:%.c=$(BUILD)/mpi/%.o) $(FLEET_CLI_SRC:%.c=$(BUILD)/mpi/%.o)
FLEET_BIN  := $(BUILD)/roofline-fleet
ifeq ($(filter-out none,$(MPICC)),)
FLEET_TARGET := fleet-skipped
else
FLEET_TARGET := roofline-fleet
endif

# One ISA per kernel translation unit. x86-64 (kernels/x86/, built only when ARCH is x86_64):
$(BUILD)/kernels/x86/%_sse2.o:       ISAFLAGS := -msse2
$(BUILD)/kernels/x86/%_avx.o:        ISAFLAGS := -mavx
$(BUILD)/kernels/x86/%_avx2.o:       ISAFLAGS := -mavx2 -mfma
$(BUILD)/kernels/x86/%_avxvnni.o:    ISAFLAGS := -mavx2 -mfma -mavxvnni
$(BUILD)/kernels/x86/%_avx512.o:     ISAFLAGS := -mavx512f -mavx512vl -mavx512bw -mavx512dq
$(BUILD)/kernels/x86/%_avx512fp16.o: ISAFLAGS := -mavx512f -mavx512vl -mavx512bw -mavx512fp16
$(BUILD)/kernels/x86/%_avx512bf16.o: ISAFLAGS := -mavx512f -mavx512vl -mavx512bw -mavx512bf16
$(BUILD)/kernels/x86/%_avx512vnni.o: ISAFLAGS := -mavx512f -mavx512vl -mavx512bw -mavx512vnni
$(BUILD)/kernels/x86/%_amx.o:        ISAFLAGS := -mamx-tile -mamx-int8 -mamx-bf16
# AArch64 (kernels/arm/, built only when ARCH is aarch64): the baseline is Armv8.0 with NEON; each
# file adds only its extension. GCC 12 has no +sme, so the SME file enters its instructions with
# the assembler's .arch_extension (binutils 2.40) and is built at the SVE2 level.
$(BUILD)/kernels/arm/%_neon.o:       ISAFLAGS := -march=armv8-a
$(BUILD)/kernels/arm/%_neonfp16.o:   ISAFLAGS := -march=armv8.2-a+fp16
$(BUILD)/kernels/arm/%_dotprod.o:    ISAFLAGS := -march=armv8.2-a+dotprod
$(BUILD)/kernels/arm/%_bf16.o:       ISAFLAGS := -march=armv8.2-a+bf16
$(BUILD)/kernels/arm/%_i8mm.o:       ISAFLAGS := -march=armv8.2-a+i8mm
$(BUILD)/kernels/arm/%_sve.o:        ISAFLAGS := -march=armv8.2-a+sve
$(BUILD)/kernels/arm/%_sme.o:        ISAFLAGS := -march=armv8.2-a+sve2
$(TEST_OBJ): CFLAGS += $(TEST_CFLAGS)

.PHONY: all run test install uninstall format format-check clean deps cuda-skipped fleet-skipped
all: roofline $(FLEET_TARGET)

# A cross build leaves ./roofline (the host's) alone: its binary is ./roofline-aarch64.
roofline: $(BIN) $(CUDA_TARGET)
	cp $(BIN) $(if $(CROSS),roofline-$(CROSS),$@)

# The CUDA backend (kernels/cuda/): a plugin the binary loads at run time when it exists, so that
# roofline builds and runs where there is no CUDA toolkit, driver or GPU. It links the CUDA runtime
# statically and needs only the driver's libcuda.so.1. Built wherever nvcc is found (NVCC= to point
# at one, NVCC=none to skip); CUDA_ARCHS lists the GPUs to compile for (sm_90a: Hopper's wgmma).
libroofline-cuda.so: $(CUDA_PLUGIN)
	cp $< $@

$(BUILD)/cuda/%.o: kernels/cuda/%.cu $(wildcard kernels/cuda/*.h kernels/cuda/*.cuh)
	@mkdir -p $(dir $@)
	$(NVCC) -std=c++17 -O3 -I. -Xcompiler -fPIC,-fvisibility=hidden,-Wall $(CUDA_GENCODE) -c $< -o $@

$(CUDA_PLUGIN): $(CUDA_OBJ)
	$(NVCC) -shared -cudart static $(CUDA_GENCODE) $^ -o $@

cuda-skipped:
	@echo "roofline: CUDA backend skipped: no nvcc found (install the CUDA toolkit or set NVCC=)"

roofline-fleet: $(FLEET_BIN)
	cp $< $@

# mpicc wraps the same compiler with MPI's include and library paths; mpi.h is included as a
# system header so that the strict warnings stay on our code.
MPI_INC := $(if $(filter roofline-fleet,$(FLEET_TARGET)),$(patsubst -I%,-isystem %,$(filter -I%,$(shell $(MPICC) --showme:compile 2>/dev/null))))
$(BUILD)/mpi/%.o: %.c
	@mkdir -p $(dir $@)
	$(MPICC) $(MPI_INC) $(CFLAGS) -MMD -MP -c $< -o $@

$(FLEET_BIN): $(FLEET_OBJ) $(BUILD)/cli/util.o $(BUILD)/cli/stop.o $(LIB)
	$(MPICC) $(LDFLAGS) $^ $(LDLIBS) -o $@

fleet-skipped:
	@echo "roofline: fleet skipped: no mpicc (install openmpi-bin libopenmpi-dev, or set MPICC=)"

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ISAFLAGS) -MMD -MP -c $< -o $@

# od writes each file as hex bytes; sed turns them into C initialisers. A NUL ends each array (the
# _len figure leaves it out), so the template can be scanned as a string.
$(HTML_GEN): $(HTML_ASSETS) Makefile
	@mkdir -p $(dir $@)
	{ echo '/* generated by the Makefile from $(HTML_ASSETS): do not edit */'; \
	  echo '#include "report/html_assets.h"'; \
	  for f in $(HTML_ASSETS); do n=rl_html_$$(basename $$f | tr '.-' '__'); \
	    echo "const unsigned char $$n[] = {"; \
	    od -An -v -tx1 $$f | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	    echo '0x00};'; echo "const size_t $${n}_len = sizeof $$n - 1;"; \
	  done; } > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/html_assets.o: $(HTML_GEN)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# A stand-in for the CUDA plugin, so the GPU path is tested where there is no GPU (tests/test_gpu.c).
FAKE_GPU := $(BUILD)/tests/libfake-gpu.so
$(FAKE_GPU): tests/tools/fake_gpu_plugin.c kernels/cuda/gpu_abi.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -Wall -Wextra -I. -shared -fPIC $< -o $@

$(TESTBIN): $(TEST_OBJ) $(LIB) $(BIN) $(FAKE_GPU) $(if $(filter libroofline-cuda.so,$(CUDA_TARGET)),$(CUDA_PLUGIN)) \
            $(if $(filter roofline-fleet,$(FLEET_TARGET)),$(FLEET_BIN))
	$(CC) $(LDFLAGS) $(TEST_LDFLAGS) $(TEST_OBJ) $(LIB) $(LDLIBS) -lcriterion -o $@

deps:
	scripts/install-deps.sh

# The main job: measure this machine and print its roofline.
run: deps
	$(MAKE) roofline
	./roofline

# Tests run from the repository root; they find the binary and the fixtures through these variables.
# A cross build (make ARCH=aarch64 test) runs its suite under qemu-user at every vector length
# (scripts/run-tests-cross.sh); an x86-64 host runs its own suite and then that one, which says
# SKIP with the reason where the cross toolchain, Criterion's arm64 build or binfmt_misc is missing.
TEST_ENV = RL_BIN=$(BIN) RL_BUILD=$(BUILD) RL_SHARED=../shared RL_NVCC=$(filter-out none,$(NVCC)) \
	    RL_FLEET_BIN=$(if $(filter roofline-fleet,$(FLEET_TARGET)),$(FLEET_BIN)) RL_ARCH=$(ARCH)
test:
	scripts/install-deps.sh --test
ifeq ($(CROSS),)
	$(MAKE) $(TESTBIN)
	$(TEST_ENV) scripts/run-tests.sh $(TESTBIN)
ifeq ($(HOST_ARCH),x86_64)
	scripts/run-tests-cross.sh aarch64
endif
else
	$(MAKE) $(TESTBIN)
	$(TEST_ENV) scripts/run-tests-cross.sh --run $(TESTBIN)
endif

install: roofline
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 roofline $(DESTDIR)$(PREFIX)/bin/roofline
	if [ -f roofline-fleet ]; then install -m 755 roofline-fleet $(DESTDIR)$(PREFIX)/bin/; fi
	if [ -f libroofline-cuda.so ]; then install -d $(DESTDIR)$(PREFIX)/lib/roofline && \
	    install -m 755 libroofline-cuda.so $(DESTDIR)$(PREFIX)/lib/roofline/; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/roofline $(DESTDIR)$(PREFIX)/bin/roofline-fleet $(DESTDIR)$(PREFIX)/lib/roofline/libroofline-cuda.so

# Every architecture's files, whichever this build compiles.
FORMAT_SRC = $(sort $(LIB_SRC) $(CLI_SRC) $(FLEET_MPI_SRC) $(FLEET_CLI_SRC) $(TEST_SRC) $(ARCH_NAMED) $(wildcard */*.h) \
	$(wildcard kernels/*/*.c kernels/*/*.h) $(wildcard tests/fuzz/*.c))
format:
	clang-format -i $(FORMAT_SRC)

format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build roofline roofline-aarch64 roofline-fleet libroofline-cuda.so

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(FLEET_OBJ:.o=.d)

# Fuzzing the file readers (clang 14 with libFuzzer from libclang-rt-14-dev): FUZZ_TARGET is one of
# onnx (ONNX models), result (result JSON), profile (ORT profiles), runtime (runtime profiles,
# roofline-runtime/1), smbios (SMBIOS type 17), cpuid (CPUID dumps), cpuinfo (AArch64
# /proc/cpuinfo, --cpuinfo); tests/fuzz/fuzz_<target>.c is the entry point. `make test` replays
# each saved corpus (tests/fuzz/corpus/ for onnx, tests/fuzz/<target>/ for the others) through the
# same entry points under the sanitizers (tests/test_fuzz_replay.c).
FUZZ_CC     ?= clang-14
FUZZ_TIME   ?= 60
FUZZ_TARGET ?= onnx
FUZZ_COMMON := common/err.c common/buf.c common/outfile.c common/isa.c common/htmldata.c
FUZZ_SRC_onnx    := $(wildcard model/*.c) result/result.c result/gpu_server.c
FUZZ_SRC_result  := result/result.c result/gpu_server.c
FUZZ_SRC_profile := $(wildcard model/*.c) result/result.c result/gpu_server.c
FUZZ_SRC_runtime := model/runtime.c
FUZZ_SRC_smbios  := probes/memory.c
FUZZ_SRC_cpuid   := probes/cpu.c probes/cpu_arm.c probes/cpu_x86.c result/result.c result/gpu_server.c
FUZZ_SRC_cpuinfo := probes/cpu_arm.c
FUZZ_CORPUS_onnx := tests/fuzz/corpus
FUZZ_CORPUS      := $(or $(FUZZ_CORPUS_$(FUZZ_TARGET)),tests/fuzz/$(FUZZ_TARGET))
FUZZ_DICT        := $(wildcard tests/fuzz/$(FUZZ_TARGET).dict)
.PHONY: fuzz fuzz-run
fuzz: build/fuzz/fuzz_$(FUZZ_TARGET)
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) $(LIB_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -g -O1 -std=c11 -D_GNU_SOURCE -I. -DRL_VERSION=\"$(VERSION)\" $(shell pkg-config --cflags $(PKGS)) \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $< $(FUZZ_COMMON) \
	    $(FUZZ_SRC_$*) $(shell pkg-config --libs $(PKGS)) -lm -o $@
fuzz-run: fuzz
	@mkdir -p build/fuzz/corpus-$(FUZZ_TARGET)
	build/fuzz/fuzz_$(FUZZ_TARGET) -max_total_time=$(FUZZ_TIME) -max_len=65536 -timeout=10 \
	    $(if $(FUZZ_DICT),-dict=$(FUZZ_DICT)) -artifact_prefix=build/fuzz/$(FUZZ_TARGET)- \
	    build/fuzz/corpus-$(FUZZ_TARGET) $(FUZZ_CORPUS)
