#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/* Integer dot products of one int8 query against `count` int8 rows of `stride` bytes
 * (stride a multiple of 32, padding zero; values in [-127, 127]): out[r] = sum_i rows[r*stride+i] * query[i].
 * Uses AVX2 when the CPU has it (checked at run time), portable C otherwise. */
void ckernels_dot_i8(const int8_t *rows, size_t count, size_t stride, const int8_t *query, int32_t *out);

/* The same for `m` queries at once (`m` rows of `stride` values, padding zero):
 * out[q*count + r] = sum_i rows[r*stride+i] * queries[q*stride+i]. Each row is read once.
 * Rows and queries must lie in [-127, 127] (the AVX2 path multiplies |row| by the signed query). */
void ckernels_dot_i8_batch(const int8_t *rows, size_t count, size_t stride, const int8_t *queries, size_t m,
                           int32_t *out);

/* 1 when the AVX2 path is in use. */
int ckernels_has_avx2(void);

/* C = A · Bᵀ: c[i*ldc + j] = sum_k a[i*lda + k] * b[j*ldb + k] for i < m, j < n (row-major,
 * single-threaded; callers split n across threads). `level` picks the micro-kernel: 2 AVX-512F,
 * 1 AVX2+FMA, 0 portable C, -1 the best this CPU has (a level above the CPU's is lowered).
 * Returns 0, or -1 when the packing buffers cannot be allocated. */
int ckernels_sgemm_nt(size_t m, size_t n, size_t d, const float *a, size_t lda, const float *b, size_t ldb,
                      float *c, size_t ldc, int level);

/* The best micro-kernel level this CPU runs (2 AVX-512F, 1 AVX2+FMA, 0 portable). */
int ckernels_sgemm_level(void);

/* 1 when OpenBLAS's cblas_sgemm was found at run time (dlopen of libopenblas.so.0); looked up once. */
int ckernels_openblas_available(void);

/* The same product through OpenBLAS (multi-threaded by OpenBLAS itself); -1 when OpenBLAS is
 * absent or a size does not fit its int arguments. */
int ckernels_openblas_sgemm_nt(size_t m, size_t n, size_t d, const float *a, size_t lda, const float *b, size_t ldb,
                               float *c, size_t ldc);

/* Float dot product sum_i a[i]*b[i] (AVX-512F or AVX2+FMA when the CPU has it, checked once;
 * WORDSHIFT_DOT_LEVEL=1|0 caps the level for comparisons). */
float ckernels_dot_f32(const float *a, const float *b, size_t n);

/* out[i] = ckernels_dot_f32(query, units + ids[i] * dimension, dimension) for i < count (ids must
 * be rows of units), prefetching the next row while summing one. */
void ckernels_dot_f32_rows(const float *query, const float *units, size_t dimension, const int32_t *ids, size_t count,
                           float *out);

/* The same product at a given level (a level above the CPU's, or below 0, is the CPU's best). */
float ckernels_dot_f32_at(int level, const float *a, const float *b, size_t n);

/* Hints the CPU to load every cache line of the `bytes` bytes at `p` (no effect on results). */
static inline void ckernels_prefetch_span(const void *p, size_t bytes) {
    const char *c = (const char *)p;
    for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(c + offset, 0, 3);
}

#endif
