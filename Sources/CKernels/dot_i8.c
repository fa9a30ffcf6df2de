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

__attribute__((target("avx2")))
static void dot_i8_avx2(const int8_t *rows, size_t count, size_t stride, const int8_t *query, int32_t *out) {
    for (size_t r = 0; r < count; r++) {
        const int8_t *row = rows + r * stride;
        __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
        for (size_t i = 0; i < stride; i += 32) {
            __m256i a0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + i)));
            __m256i a1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + i + 16)));
            __m256i b0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(query + i)));
            __m256i b1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(query + i + 16)));
            acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(a0, b0));
            acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(a1, b1));
        }
        __m256i acc = _mm256_add_epi32(acc0, acc1);
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
        out[r] = _mm_cvtsi128_si32(s);
    }
}

static void dot_i8_batch_portable(const int8_t *rows, size_t count, size_t stride, const int16_t *queries,
                                  size_t m, int32_t *out) {
    for (size_t r = 0; r < count; r++) {
        const int8_t *row = rows + r * stride;
        for (size_t q = 0; q < m; q++) {
            const int16_t *query = queries + q * stride;
            int32_t acc = 0;
            for (size_t i = 0; i < stride; i++) acc += (int32_t)row[i] * (int32_t)query[i];
            out[r * m + q] = acc;
        }
    }
}

__attribute__((target("avx2")))
static inline int32_t hsum_epi32(__m256i acc) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

/* Each row is read from memory once and widened to int16 once per 32-byte chunk; four queries
 * at a time are multiplied against the widened chunk, so the cost per extra query is two
 * multiply-adds per chunk instead of another pass over the matrix. */
__attribute__((target("avx2")))
static void dot_i8_batch_avx2(const int8_t *rows, size_t count, size_t stride, const int16_t *queries,
                              size_t m, int32_t *out) {
    for (size_t r = 0; r < count; r++) {
        const int8_t *row = rows + r * stride;
        int32_t *dst = out + r * m;
        size_t q = 0;
        for (; q + 4 <= m; q += 4) {
            const int16_t *q0 = queries + q * stride, *q1 = q0 + stride, *q2 = q1 + stride, *q3 = q2 + stride;
            __m256i a0 = _mm256_setzero_si256(), a1 = _mm256_setzero_si256();
            __m256i a2 = _mm256_setzero_si256(), a3 = _mm256_setzero_si256();
            for (size_t i = 0; i < stride; i += 16) {
                __m256i x = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + i)));
                a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(q0 + i))));
                a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(q1 + i))));
                a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(q2 + i))));
                a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(q3 + i))));
            }
            dst[q] = hsum_epi32(a0); dst[q + 1] = hsum_epi32(a1);
            dst[q + 2] = hsum_epi32(a2); dst[q + 3] = hsum_epi32(a3);
        }
        for (; q < m; q++) {
            const int16_t *q0 = queries + q * stride;
            __m256i a0 = _mm256_setzero_si256();
            for (size_t i = 0; i < stride; i += 16) {
                __m256i x = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + i)));
                a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(q0 + i))));
            }
            dst[q] = hsum_epi32(a0);
        }
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

void ckernels_dot_i8_batch(const int8_t *rows, size_t count, size_t stride, const int16_t *queries, size_t m,
                           int32_t *out) {
    if (ckernels_has_avx2()) dot_i8_batch_avx2(rows, count, stride, queries, m, out);
    else dot_i8_batch_portable(rows, count, stride, queries, m, out);
}
