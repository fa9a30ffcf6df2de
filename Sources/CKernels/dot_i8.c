#include "ckernels.h"
#include <immintrin.h>

static void dot_i8_portable(const int8_t *rows, size_t count, size_t stride, const int8_t *query, int32_t *out) {
    for (size_t r = 0; r < count; r++) {
        const int8_t *row = rows + r * stride;
        int32_t acc = 0;
        for (size_t i = 0; i < stride; i++) acc += (int32_t)row[i] * (int32_t)query[i];
        out[r] = acc;
    }
}

/* a·b for 32 int8 pairs, summed into 8 int32 lanes: maddubs multiplies |a| (unsigned) by b with
 * a's sign, adding neighbours into int16 (at most 2·127·127 = 32,258: codes are clamped to ±127,
 * so nothing saturates), and madd with ones widens the pairs to int32. */
__attribute__((target("avx2")))
static inline __m256i dot32_i8(__m256i absA, __m256i a, __m256i b, __m256i ones) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(absA, _mm256_sign_epi8(b, a)), ones);
}

__attribute__((target("avx2")))
static inline int32_t hsum_epi32(__m256i acc) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

__attribute__((target("avx2")))
static void dot_i8_avx2(const int8_t *rows, size_t count, size_t stride, const int8_t *query, int32_t *out) {
    const __m256i ones = _mm256_set1_epi16(1);
    for (size_t r = 0; r < count; r++) {
        const int8_t *row = rows + r * stride;
        __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
        size_t i = 0;
        for (; i + 64 <= stride; i += 64) {
            __m256i a0 = _mm256_loadu_si256((const __m256i *)(row + i));
            __m256i a1 = _mm256_loadu_si256((const __m256i *)(row + i + 32));
            acc0 = _mm256_add_epi32(acc0, dot32_i8(_mm256_abs_epi8(a0), a0, _mm256_loadu_si256((const __m256i *)(query + i)), ones));
            acc1 = _mm256_add_epi32(acc1, dot32_i8(_mm256_abs_epi8(a1), a1, _mm256_loadu_si256((const __m256i *)(query + i + 32)), ones));
        }
        if (i < stride) {
            __m256i a0 = _mm256_loadu_si256((const __m256i *)(row + i));
            acc0 = _mm256_add_epi32(acc0, dot32_i8(_mm256_abs_epi8(a0), a0, _mm256_loadu_si256((const __m256i *)(query + i)), ones));
        }
        out[r] = hsum_epi32(_mm256_add_epi32(acc0, acc1));
    }
}

static void dot_i8_batch_portable(const int8_t *rows, size_t count, size_t stride, const int8_t *queries,
                                  size_t m, int32_t *out) {
    for (size_t r = 0; r < count; r++) {
        const int8_t *row = rows + r * stride;
        for (size_t q = 0; q < m; q++) {
            const int8_t *query = queries + q * stride;
            int32_t acc = 0;
            for (size_t i = 0; i < stride; i++) acc += (int32_t)row[i] * (int32_t)query[i];
            out[q * count + r] = acc;
        }
    }
}

/* Each row is read from memory once per 32-byte chunk and its absolute value taken once; four
 * queries at a time are multiplied against it, so an extra query costs arithmetic only, not
 * another pass over the matrix. */
__attribute__((target("avx2")))
static void dot_i8_batch_avx2(const int8_t *rows, size_t count, size_t stride, const int8_t *queries,
                              size_t m, int32_t *out) {
    const __m256i ones = _mm256_set1_epi16(1);
    for (size_t r = 0; r < count; r++) {
        const int8_t *row = rows + r * stride;
        size_t q = 0;
        for (; q + 4 <= m; q += 4) {
            const int8_t *q0 = queries + q * stride, *q1 = q0 + stride, *q2 = q1 + stride, *q3 = q2 + stride;
            __m256i c0 = _mm256_setzero_si256(), c1 = _mm256_setzero_si256();
            __m256i c2 = _mm256_setzero_si256(), c3 = _mm256_setzero_si256();
            for (size_t i = 0; i < stride; i += 32) {
                __m256i a = _mm256_loadu_si256((const __m256i *)(row + i)), absA = _mm256_abs_epi8(a);
                c0 = _mm256_add_epi32(c0, dot32_i8(absA, a, _mm256_loadu_si256((const __m256i *)(q0 + i)), ones));
                c1 = _mm256_add_epi32(c1, dot32_i8(absA, a, _mm256_loadu_si256((const __m256i *)(q1 + i)), ones));
                c2 = _mm256_add_epi32(c2, dot32_i8(absA, a, _mm256_loadu_si256((const __m256i *)(q2 + i)), ones));
                c3 = _mm256_add_epi32(c3, dot32_i8(absA, a, _mm256_loadu_si256((const __m256i *)(q3 + i)), ones));
            }
            out[q * count + r] = hsum_epi32(c0); out[(q + 1) * count + r] = hsum_epi32(c1);
            out[(q + 2) * count + r] = hsum_epi32(c2); out[(q + 3) * count + r] = hsum_epi32(c3);
        }
        for (; q < m; q++) dot_i8_avx2(row, 1, stride, queries + q * stride, out + q * count + r);
    }
}

int ckernels_has_avx2(void) {
    /* Read and written by every searching thread: atomic (a plain int is a data race, TSan). */
    static int cached = -1;
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
}

void ckernels_dot_i8(const int8_t *rows, size_t count, size_t stride, const int8_t *query, int32_t *out) {
    if (ckernels_has_avx2()) dot_i8_avx2(rows, count, stride, query, out);
    else dot_i8_portable(rows, count, stride, query, out);
}

void ckernels_dot_i8_batch(const int8_t *rows, size_t count, size_t stride, const int8_t *queries, size_t m,
                           int32_t *out) {
    if (ckernels_has_avx2()) dot_i8_batch_avx2(rows, count, stride, queries, m, out);
    else dot_i8_batch_portable(rows, count, stride, queries, m, out);
}
