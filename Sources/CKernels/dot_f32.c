#include "ckernels.h"
#include <immintrin.h>
#include <stdlib.h>

/* Float dot products for graph search: one query against one row at a time, picked once per
 * process (AVX-512F or AVX2+FMA when the CPU has it). The sums are in another order than Swift's
 * VectorMath.dot, so callers that report scores recompute them with that. */

static float dot_f32_portable(const float *a, const float *b, size_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

__attribute__((target("avx2,fma")))
static float dot_f32_avx2(const float *a, const float *b, size_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    if (i + 8 <= n) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        i += 8;
    }
    __m256 acc = _mm256_add_ps(acc0, acc1);
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 0x55));
    float r = _mm_cvtss_f32(s);
    for (; i < n; i++) r += a[i] * b[i];
    return r;
}

/* AVX-512F: two 16-lane accumulators, and the tail (n mod 16 values) in one masked step, so a
 * 300-d row is 19 fused multiply-adds with no scalar loop. */
__attribute__((target("avx512f")))
static float dot_f32_avx512(const float *a, const float *b, size_t n) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
    }
    if (i + 16 <= n) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        i += 16;
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), acc1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
}

/* Scores of one query against listed rows, the next row's first cache lines requested while
 * the current one is summed; one call per graph node instead of one per neighbour. */
#define DOT_ROWS(name, dot, attr) \
    attr static void name(const float *query, const float *units, size_t dimension, const int32_t *ids, size_t count, \
                          float *out) { \
        for (size_t i = 0; i < count; i++) { \
            if (i + 1 < count) { \
                const char *next = (const char *)(units + (size_t)ids[i + 1] * dimension); \
                __builtin_prefetch(next, 0, 3); \
                __builtin_prefetch(next + 64, 0, 3); \
            } \
            out[i] = dot(query, units + (size_t)ids[i] * dimension, dimension); \
        } \
    }
DOT_ROWS(dot_rows_portable, dot_f32_portable, )
DOT_ROWS(dot_rows_avx2, dot_f32_avx2, __attribute__((target("avx2,fma"))))
DOT_ROWS(dot_rows_avx512, dot_f32_avx512, __attribute__((target("avx512f"))))

typedef float (*dot_f32_fn)(const float *, const float *, size_t);
typedef void (*dot_rows_fn)(const float *, const float *, size_t, const int32_t *, size_t, float *);

/* Indexed by level: 0 portable C, 1 AVX2+FMA, 2 AVX-512F. */
static const dot_f32_fn dots[3] = {dot_f32_portable, dot_f32_avx2, dot_f32_avx512};
static const dot_rows_fn dot_rows[3] = {dot_rows_portable, dot_rows_avx2, dot_rows_avx512};

/* The best level this CPU runs. */
static int cpu_dot_level(void) {
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) return 0;
    return __builtin_cpu_supports("avx512f") ? 2 : 1;
}

/* The level in use: the CPU's best, capped by WORDSHIFT_DOT_LEVEL=1 or 0 (for comparisons). */
static int dot_level(void) {
    int level = cpu_dot_level();
    const char *cap = getenv("WORDSHIFT_DOT_LEVEL");
    if (cap != NULL && cap[0] >= '0' && cap[0] <= '2' && cap[1] == 0 && cap[0] - '0' < level) level = cap[0] - '0';
    return level;
}

/* The hot paths keep the chosen kernel itself (one load and an indirect call per use). */
float ckernels_dot_f32(const float *a, const float *b, size_t n) {
    static dot_f32_fn cached = NULL;
    dot_f32_fn f = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (f == NULL) {
        f = dots[dot_level()];
        __atomic_store_n(&cached, f, __ATOMIC_RELAXED);
    }
    return f(a, b, n);
}

void ckernels_dot_f32_rows(const float *query, const float *units, size_t dimension, const int32_t *ids, size_t count,
                           float *out) {
    static dot_rows_fn cached = NULL;
    dot_rows_fn f = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (f == NULL) {
        f = dot_rows[dot_level()];
        __atomic_store_n(&cached, f, __ATOMIC_RELAXED);
    }
    f(query, units, dimension, ids, count, out);
}

float ckernels_dot_f32_at(int level, const float *a, const float *b, size_t n) {
    int best = cpu_dot_level();
    return dots[level < 0 || level > best ? best : level](a, b, n);
}
