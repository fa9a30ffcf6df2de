#ifndef WORDSHIFT_ALLOCATOR_H
#define WORDSHIFT_ALLOCATOR_H

/// Sets glibc's mmap threshold and trim threshold (bytes); returns 1 if both were accepted,
/// 0 if not, and 0 on a C library without mallopt.
int ws_allocator_keep_in_heap(int mmap_threshold, int trim_threshold);

#endif
