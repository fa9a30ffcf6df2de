#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/* Integer dot products of one int8 query against `count` int8 rows of `stride` bytes
 * (stride a multiple of 32, padding zero): out[r] = sum_i rows[r*stride+i] * query[i].
 * Uses AVX2 when the CPU has it (checked at run time), portable C otherwise. */
void ckernels_dot_i8(const int8_t *rows, size_t count, size_t stride, const int8_t *query, int32_t *out);

/* 1 when the AVX2 path is in use. */
int ckernels_has_avx2(void);

#endif
