// gotl patch: float32 and float64 matrix multiplies through OpenBLAS, loaded at run time.

//go:build linux && cgo

package matmul

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>

typedef void (*gotl_sgemm_fn)(int, int, int, int, int, int, float, const float *, int,
	const float *, int, float, float *, int);
typedef void (*gotl_dgemm_fn)(int, int, int, int, int, int, double, const double *, int,
	const double *, int, double, double *, int);

static gotl_sgemm_fn gotl_sgemm;
static gotl_dgemm_fn gotl_dgemm;
static void (*gotl_set_threads)(int);
static int (*gotl_get_threads)(void);
static char *(*gotl_get_config)(void);

// gotl_blas_open loads the library and its symbols; it returns NULL or the reason it failed.
// gotl_choose_coretype picks OpenBLAS's AVX-512 kernels (SkylakeX) on AMD processors that have
// AVX-512 (Zen 4 and later), which OpenBLAS 0.3.21 runs with its AVX2 (Haswell) kernels, 1.5-2x
// slower there. An OPENBLAS_CORETYPE already set is kept. Returns 1 when it set one.
static int gotl_choose_coretype(void) {
	if (getenv("OPENBLAS_CORETYPE") != NULL) return 0;
	__builtin_cpu_init();
	if (__builtin_cpu_is("amd") && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
			__builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
		setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
		return 1;
	}
	return 0;
}

static const char *gotl_blas_open(const char *path) {
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) return dlerror();
	gotl_sgemm_fn sgemm = (gotl_sgemm_fn)dlsym(h, "cblas_sgemm");
	gotl_dgemm_fn dgemm = (gotl_dgemm_fn)dlsym(h, "cblas_dgemm");
	void (*set_threads)(int) = (void (*)(int))dlsym(h, "openblas_set_num_threads");
	int (*get_threads)(void) = (int (*)(void))dlsym(h, "openblas_get_num_threads");
	char *(*get_config)(void) = (char *(*)(void))dlsym(h, "openblas_get_config");
	if (sgemm == NULL || dgemm == NULL) return "no cblas_sgemm or cblas_dgemm in the library";
	if (get_config == NULL || set_threads == NULL || get_threads == NULL)
		return "not OpenBLAS (no openblas_get_config): the reference BLAS would be slower than Go's kernels";
	// Only a library that has everything replaces the bound one.
	gotl_sgemm = sgemm;
	gotl_dgemm = dgemm;
	gotl_set_threads = set_threads;
	gotl_get_threads = get_threads;
	gotl_get_config = get_config;
	return NULL;
}

static void gotl_set_num_threads(int n) { gotl_set_threads(n); }
static const char *gotl_config(void) { return gotl_get_config(); }

// Row-major C[rows,m] = A · B for batch consecutive products whose full lhs and output have n
// rows (a block of rows of each): A is [rows,k] (transA = 0) or the transpose of a [k,rows]
// block of columns of a [k,n] matrix (transA = 1); B is [k,m] (transB = 0) or [m,k] (transB = 1).
static void gotl_sgemm_batch(int transA, int transB, int batch, int rows, int n, int m, int k,
		const float *a, const float *b, float *c) {
	int lda = transA ? n : k, ldb = transB ? k : m;
	for (int i = 0; i < batch; i++) {
		gotl_sgemm(101, transA ? 112 : 111, transB ? 112 : 111, rows, m, k, 1.0f, a + (size_t)i * n * k, lda,
			b + (size_t)i * k * m, ldb, 0.0f, c + (size_t)i * n * m, m);
	}
}

static void gotl_dgemm_batch(int transA, int transB, int batch, int rows, int n, int m, int k,
		const double *a, const double *b, double *c) {
	int lda = transA ? n : k, ldb = transB ? k : m;
	for (int i = 0; i < batch; i++) {
		gotl_dgemm(101, transA ? 112 : 111, transB ? 112 : 111, rows, m, k, 1.0, a + (size_t)i * n * k, lda,
			b + (size_t)i * k * m, ldb, 0.0, c + (size_t)i * n * m, m);
	}
}
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/gomlx/compute/internal/gobackend/dot"
	"github.com/gomlx/compute/support/envutil"
	"k8s.io/klog/v2"
)

const (
	// BLASEnv turns the OpenBLAS matrix multiply off when set to false (it is on by default
	// wherever the library loads).
	BLASEnv = "GOMLX_DOT_BLAS"

	// BLASLibraryEnv names the shared library to load instead of libopenblas.so.0 (a path, or
	// a name the dynamic loader finds).
	BLASLibraryEnv = "GOMLX_BLAS_LIBRARY"

	// blasMinFLOPs is the smallest product (per batch element) sent to OpenBLAS, a round
	// threshold rather than a tuned one: it keeps attention's 32×128×32 score products on the
	// Go kernels; at 64×128×64 OpenBLAS was 1.2–1.5× faster in bench/gotl -matmul on 2 cores.
	blasMinFLOPs = 64 * 64 * 64

	// blasMinRowFLOPs is the least work (n·m·k) of one goroutine's block of rows.
	blasMinRowFLOPs = 64 * 64 * 64
)

func init() {
	if !envutil.MustReadBool(EnabledEnv, true) || !envutil.MustReadBool(BLASEnv, true) {
		return
	}
	b, err := openBLAS(os.Getenv(BLASLibraryEnv))
	if err != nil {
		klog.V(1).Infof("OpenBLAS matrix multiply not used: %v", err)
		return
	}
	dot.ActiveBLAS = b
}

// openBLAS loads OpenBLAS from path (libopenblas.so.0 when empty), single-threaded: the
// products are split among goroutines here (blasSplit), so no OpenBLAS thread spins beside Go's
// workers between calls, and the split, hence every bit of the result, depends only on the
// shapes and GOMAXPROCS.
func openBLAS(path string) (*dot.BLAS, error) {
	if path == "" {
		path = "libopenblas.so.0"
	}
	coretypeSet := C.gotl_choose_coretype() == 1
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	if msg := C.gotl_blas_open(cPath); msg != nil {
		if coretypeSet {
			os.Unsetenv("OPENBLAS_CORETYPE")
		}
		return nil, fmt.Errorf("loading %s: %s (install Debian's libopenblas0, or set %s)", path, C.GoString(msg), BLASLibraryEnv)
	}
	C.gotl_set_num_threads(1)
	config := strings.TrimSpace(C.GoString(C.gotl_config()))
	return &dot.BLAS{
		Name:     fmt.Sprintf("%s (%s), 1 thread × %d goroutines", path, config, runtime.GOMAXPROCS(0)),
		MinFLOPs: blasMinFLOPs,
		Float32:  blasFloat32,
		Float64:  blasFloat64,
	}, nil
}

// blasSplit runs batchSize products of [n, k] × [k, m] in parts on up to GOMAXPROCS goroutines:
// whole batch elements when there are enough of them, otherwise blocks of lhs rows (multiples of
// 16, at least blasMinRowFLOPs of work each). run(b0, b1, r0, r1) multiplies rows [r0, r1) of
// batch elements [b0, b1).
func blasSplit(batchSize, n, m, k int, run func(b0, b1, r0, r1 int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > 1 && batchSize >= workers {
		per := (batchSize + workers - 1) / workers
		parallel(workers, func(w int) {
			if b0 := w * per; b0 < batchSize {
				run(b0, min(b0+per, batchSize), 0, n)
			}
		})
		return
	}
	parts := min(workers, n*m*k/blasMinRowFLOPs, (n+15)/16)
	if parts <= 1 {
		run(0, batchSize, 0, n)
		return
	}
	rows := ((n+parts-1)/parts + 15) / 16 * 16
	for b := range batchSize {
		parallel(parts, func(w int) {
			if r0 := w * rows; r0 < n {
				run(b, b+1, r0, min(r0+rows, n))
			}
		})
	}
}

// parallel runs fn(0), ..., fn(parts-1) on their own goroutines (fn(0) on the caller's) and
// waits for all.
func parallel(parts int, fn func(w int)) {
	var wg sync.WaitGroup
	for w := 1; w < parts; w++ {
		wg.Go(func() { fn(w) })
	}
	fn(0)
	wg.Wait()
}

func blasFloat32(lhsTransposed bool, layout dot.Layout, lhs, rhs []float32, batchSize, n, m, k int, output []float32) {
	blasSplit(batchSize, n, m, k, func(b0, b1, r0, r1 int) {
		C.gotl_sgemm_batch(cBool(lhsTransposed), cBool(layout == dot.LayoutTransposed),
			C.int(b1-b0), C.int(r1-r0), C.int(n), C.int(m), C.int(k),
			(*C.float)(unsafe.Pointer(&lhs[lhsOffset(lhsTransposed, b0, r0, n, k)])),
			(*C.float)(unsafe.Pointer(&rhs[b0*k*m])), (*C.float)(unsafe.Pointer(&output[b0*n*m+r0*m])))
	})
}

func blasFloat64(lhsTransposed bool, layout dot.Layout, lhs, rhs []float64, batchSize, n, m, k int, output []float64) {
	blasSplit(batchSize, n, m, k, func(b0, b1, r0, r1 int) {
		C.gotl_dgemm_batch(cBool(lhsTransposed), cBool(layout == dot.LayoutTransposed),
			C.int(b1-b0), C.int(r1-r0), C.int(n), C.int(m), C.int(k),
			(*C.double)(unsafe.Pointer(&lhs[lhsOffset(lhsTransposed, b0, r0, n, k)])),
			(*C.double)(unsafe.Pointer(&rhs[b0*k*m])), (*C.double)(unsafe.Pointer(&output[b0*n*m+r0*m])))
	})
}

// lhsOffset is where output row r0 of batch element b0 starts in lhs: row r0 of a [n, k] lhs,
// or column r0 of a [k, n] one.
func lhsOffset(lhsTransposed bool, b0, r0, n, k int) int {
	if lhsTransposed {
		return b0*n*k + r0
	}
	return b0*n*k + r0*k
}

func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
