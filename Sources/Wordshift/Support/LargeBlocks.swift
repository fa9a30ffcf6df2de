import CAllocator

/// Keeps freed blocks of up to 32 MiB in the process's heap instead of returning them to the
/// system at once.
///
/// By default glibc serves a large block with a fresh mapping and unmaps it on `free` (its
/// threshold for that starts at 128 KiB and rises only as such blocks are freed), and it
/// returns free memory at the top of the heap once more than twice that threshold is free. An
/// import allocates a 16 MB batch of vectors every few milliseconds on one thread and frees it
/// on another, so batch after batch came from fresh pages: a page fault and a zeroed page per
/// 4 KiB. With blocks of up to 32 MiB (the largest glibc accepts) taken from the heap and up to
/// 256 MiB of free heap kept, the same pages serve every batch. Measured on a 400k × 300
/// binary import: 37k page faults before, 17k after; 4–8% less time in alternating pairs with a
/// `sync` before each run, 0–5% (inside the noise) in the rounds against gensim
/// (BENCHMARKS.md §1).
///
/// The setting is for the whole process and lasts until it exits, so it belongs to commands
/// that run one bulk job (`wordshift import`), not to the library's calls; with another C
/// library it does nothing.
package enum LargeBlocks {
    /// Sets glibc's mmap threshold to 32 MiB and its trim threshold to 256 MiB; returns
    /// whether the C library took both.
    @discardableResult
    package static func keepInHeap() -> Bool {
        ws_allocator_keep_in_heap(32 << 20, 256 << 20) == 1
    }
}
