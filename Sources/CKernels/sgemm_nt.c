/* C = A · Bᵀ for row-major float matrices (the batched-query product: queries × rows).
 *
 * Blocked like a BLAS level-3 kernel: the k dimension is cut into passes of at most
 * KC_MAX, A (the queries) is packed into MR-row panels ([k][MR]), B (the rows) into NR-row
 * panels ([k][NR]) NC rows at a time, and a register-blocked micro-kernel computes one
 * MR × NR tile of C with all accumulators in registers. One micro-kernel per instruction
 * set (AVX-512F 8×32, AVX2+FMA 6×16, portable C 4×8), chosen at run time.
 *
 * OpenBLAS is not linked: ckernels_openblas_sgemm() looks it up with dlopen, so the package
 * builds without its headers and uses it when the machine has it. */
#include "ckernels.h"
#include <dlfcn.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KC_MAX 192
#define NC_ROWS 1024
#define TILE_MAX (8 * 32)

typedef void (*micro_kernel)(size_t kc, const float *a, const float *b, float *c, size_t ldc, int accumulate);

/* ---- micro-kernels: c[r*ldc + j] (+)= sum_k a[k*MR + r] * b[k*NR + j] ---- */

static void kernel_portable_4x8(size_t kc, const float *a, const float *b, float *c, size_t ldc, int accumulate) {
    float acc[4][8] = {{0}};
    for (size_t k = 0; k < kc; k++) {
        const float *ak = a + k * 4, *bk = b + k * 8;
        for (int r = 0; r < 4; r++)
            for (int j = 0; j < 8; j++) acc[r][j] += ak[r] * bk[j];
    }
    for (int r = 0; r < 4; r++)
        for (int j = 0; j < 8; j++) c[r * ldc + j] = (accumulate ? c[r * ldc + j] : 0.0f) + acc[r][j];
}

__attribute__((target("avx2,fma")))
static void kernel_avx2_6x16(size_t kc, const float *a, const float *b, float *c, size_t ldc, int accumulate) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(), c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (size_t k = 0; k < kc; k++) {
        const float *ak = a + k * 6;
        __m256 b0 = _mm256_loadu_ps(b + k * 16), b1 = _mm256_loadu_ps(b + k * 16 + 8);
        __m256 x;
        x = _mm256_broadcast_ss(ak + 0); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
        x = _mm256_broadcast_ss(ak + 1); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
        x = _mm256_broadcast_ss(ak + 2); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
        x = _mm256_broadcast_ss(ak + 3); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
        x = _mm256_broadcast_ss(ak + 4); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
        x = _mm256_broadcast_ss(ak + 5); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
    }
    __m256 out[6][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    for (int r = 0; r < 6; r++) {
        float *row = c + r * ldc;
        __m256 v0 = out[r][0], v1 = out[r][1];
        if (accumulate) { v0 = _mm256_add_ps(v0, _mm256_loadu_ps(row)); v1 = _mm256_add_ps(v1, _mm256_loadu_ps(row + 8)); }
        _mm256_storeu_ps(row, v0);
        _mm256_storeu_ps(row + 8, v1);
    }
}

__attribute__((target("avx512f")))
static void kernel_avx512_8x32(size_t kc, const float *a, const float *b, float *c, size_t ldc, int accumulate) {
    __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps(), c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
    __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps(), c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
    __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps(), c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
    __m512 c60 = _mm512_setzero_ps(), c61 = _mm512_setzero_ps(), c70 = _mm512_setzero_ps(), c71 = _mm512_setzero_ps();
    for (size_t k = 0; k < kc; k++) {
        const float *ak = a + k * 8;
        __m512 b0 = _mm512_loadu_ps(b + k * 32), b1 = _mm512_loadu_ps(b + k * 32 + 16);
        __m512 x;
        x = _mm512_set1_ps(ak[0]); c00 = _mm512_fmadd_ps(x, b0, c00); c01 = _mm512_fmadd_ps(x, b1, c01);
        x = _mm512_set1_ps(ak[1]); c10 = _mm512_fmadd_ps(x, b0, c10); c11 = _mm512_fmadd_ps(x, b1, c11);
        x = _mm512_set1_ps(ak[2]); c20 = _mm512_fmadd_ps(x, b0, c20); c21 = _mm512_fmadd_ps(x, b1, c21);
        x = _mm512_set1_ps(ak[3]); c30 = _mm512_fmadd_ps(x, b0, c30); c31 = _mm512_fmadd_ps(x, b1, c31);
        x = _mm512_set1_ps(ak[4]); c40 = _mm512_fmadd_ps(x, b0, c40); c41 = _mm512_fmadd_ps(x, b1, c41);
        x = _mm512_set1_ps(ak[5]); c50 = _mm512_fmadd_ps(x, b0, c50); c51 = _mm512_fmadd_ps(x, b1, c51);
        x = _mm512_set1_ps(ak[6]); c60 = _mm512_fmadd_ps(x, b0, c60); c61 = _mm512_fmadd_ps(x, b1, c61);
        x = _mm512_set1_ps(ak[7]); c70 = _mm512_fmadd_ps(x, b0, c70); c71 = _mm512_fmadd_ps(x, b1, c71);
    }
    __m512 out[8][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}, {c60, c61}, {c70, c71}};
    for (int r = 0; r < 8; r++) {
        float *row = c + r * ldc;
        __m512 v0 = out[r][0], v1 = out[r][1];
        if (accumulate) { v0 = _mm512_add_ps(v0, _mm512_loadu_ps(row)); v1 = _mm512_add_ps(v1, _mm512_loadu_ps(row + 16)); }
        _mm512_storeu_ps(row, v0);
        _mm512_storeu_ps(row + 16, v1);
    }
}

/* ---- packing: rows [0, count) of M, columns [k0, k0+kc), into panels of `width` rows laid out
 * [k][width]; rows past `count` are zero ---- */
static void pack_panels(const float *m, size_t ld, size_t count, size_t k0, size_t kc, size_t width, float *out) {
    for (size_t p = 0; p < count; p += width) {
        size_t rows = count - p < width ? count - p : width;
        float *panel = out + p * kc;
        for (size_t r = 0; r < rows; r++) {
            const float *src = m + (p + r) * ld + k0;
            for (size_t k = 0; k < kc; k++) panel[k * width + r] = src[k];
        }
        for (size_t r = rows; r < width; r++)
            for (size_t k = 0; k < kc; k++) panel[k * width + r] = 0.0f;
    }
}

static int simd_level(void) {
    /* Shared by every thread: atomic (a plain int is a data race, TSan). */
    static int cached = -1;
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v < 0) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) v = 2;
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) v = 1;
        else v = 0;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
}

int ckernels_sgemm_level(void) { return simd_level(); }

int ckernels_sgemm_nt(size_t m, size_t n, size_t d, const float *a, size_t lda, const float *b, size_t ldb,
                      float *c, size_t ldc, int level) {
    if (m == 0 || n == 0) return 0;
    if (d == 0) {
        for (size_t i = 0; i < m; i++) memset(c + i * ldc, 0, n * sizeof(float));
        return 0;
    }
    if (level < 0 || level > simd_level()) level = simd_level();
    size_t mr, nr;
    micro_kernel kernel;
    switch (level) {
    case 2: mr = 8; nr = 32; kernel = kernel_avx512_8x32; break;
    case 1: mr = 6; nr = 16; kernel = kernel_avx2_6x16; break;
    default: mr = 4; nr = 8; kernel = kernel_portable_4x8; break;
    }
    size_t passes = (d + KC_MAX - 1) / KC_MAX;
    size_t kstep = (d + passes - 1) / passes;
    size_t mpad = (m + mr - 1) / mr * mr;
    size_t nc_max = n < NC_ROWS ? (n + nr - 1) / nr * nr : NC_ROWS;
    float *ap = aligned_alloc(64, (mpad * kstep * sizeof(float) + 63) / 64 * 64);
    float *bp = aligned_alloc(64, (nc_max * kstep * sizeof(float) + 63) / 64 * 64);
    if (!ap || !bp) { free(ap); free(bp); return -1; }
    float tile[TILE_MAX];
    for (size_t k0 = 0; k0 < d; k0 += kstep) {
        size_t kc = d - k0 < kstep ? d - k0 : kstep;
        int accumulate = k0 > 0;
        pack_panels(a, lda, m, k0, kc, mr, ap);
        for (size_t j0 = 0; j0 < n; j0 += NC_ROWS) {
            size_t nc = n - j0 < NC_ROWS ? n - j0 : NC_ROWS;
            pack_panels(b + j0 * ldb, ldb, nc, k0, kc, nr, bp);
            for (size_t jr = 0; jr < nc; jr += nr) {
                size_t cols = nc - jr < nr ? nc - jr : nr;
                for (size_t ir = 0; ir < m; ir += mr) {
                    size_t rows = m - ir < mr ? m - ir : mr;
                    float *ct = c + ir * ldc + j0 + jr;
                    if (rows == mr && cols == nr) {
                        kernel(kc, ap + ir * kc, bp + jr * kc, ct, ldc, accumulate);
                        continue;
                    }
                    /* Edge tile: through a full-size scratch tile. */
                    for (size_t r = 0; r < mr; r++)
                        for (size_t j = 0; j < nr; j++)
                            tile[r * nr + j] = (accumulate && r < rows && j < cols) ? ct[r * ldc + j] : 0.0f;
                    kernel(kc, ap + ir * kc, bp + jr * kc, tile, nr, accumulate);
                    for (size_t r = 0; r < rows; r++)
                        for (size_t j = 0; j < cols; j++) ct[r * ldc + j] = tile[r * nr + j];
                }
            }
        }
    }
    free(ap);
    free(bp);
    return 0;
}

/* ---- OpenBLAS, found at run time ---- */
typedef void (*cblas_sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int,
                               float, float *, int);

static cblas_sgemm_fn openblas_lookup(void) {
    static const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) continue;
        void *sym = dlsym(lib, "cblas_sgemm");
        if (sym) return (cblas_sgemm_fn)sym;
        dlclose(lib);
    }
    return NULL;
}

static cblas_sgemm_fn openblas_fn = NULL;
static pthread_once_t openblas_once = PTHREAD_ONCE_INIT;
static void openblas_init(void) { openblas_fn = openblas_lookup(); }

static cblas_sgemm_fn openblas_sgemm(void) {
    pthread_once(&openblas_once, openblas_init);
    return openblas_fn;
}

int ckernels_openblas_available(void) { return openblas_sgemm() != NULL; }

int ckernels_openblas_sgemm_nt(size_t m, size_t n, size_t d, const float *a, size_t lda, const float *b, size_t ldb,
                               float *c, size_t ldc) {
    cblas_sgemm_fn fn = openblas_sgemm();
    if (!fn) return -1;
    if (m > 0x7fffffff || n > 0x7fffffff || d > 0x7fffffff || lda > 0x7fffffff || ldb > 0x7fffffff || ldc > 0x7fffffff)
        return -1;
    /* 101 = CblasRowMajor, 111 = CblasNoTrans, 112 = CblasTrans (values fixed by the CBLAS interface). */
    fn(101, 111, 112, (int)m, (int)n, (int)d, 1.0f, a, (int)lda, b, (int)ldb, 0.0f, c, (int)ldc);
    return 0;
}
