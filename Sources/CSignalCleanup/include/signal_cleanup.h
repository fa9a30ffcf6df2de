#ifndef WORDSHIFT_SIGNAL_CLEANUP_H
#define WORDSHIFT_SIGNAL_CLEANUP_H

#include <stddef.h>

// The table of paths a fatal signal (SIGINT, SIGTERM, SIGHUP) removes before the process dies.
//
// Slots live in chunks that are published once and never freed or moved: chunk k holds
// 1024 << k slots, so the table grows without bound. Each slot is an atomic pointer to a private,
// NUL-terminated copy of a path. All memory is allocated by the caller (Swift, outside any
// handler); the handler only loads atomics and calls unlink(2), then restores the default action
// and re-raises the signal: no allocation, no lock, no Swift runtime. The caller chooses slots
// under its own lock; these functions only publish and take back.

/// The chunk that holds `slot`, or -1 past the last chunk.
long ws_cleanup_chunk_of(size_t slot);
/// How many slots chunk `chunk` holds.
size_t ws_cleanup_chunk_size(long chunk);
/// Whether chunk `chunk` has been published.
int ws_cleanup_has_chunk(long chunk);
/// Publishes `zeroed` (ws_cleanup_chunk_size(chunk) pointer-sized zero bytes) as chunk `chunk`.
/// Returns 0, or -1 when that chunk already exists (the caller keeps `zeroed`).
int ws_cleanup_attach_chunk(long chunk, void *zeroed);
/// Stores `path` (or NULL) in `slot` of a published chunk. Returns what the slot held if the
/// caller may free it now; NULL when it was empty, or when a handler is running and may still
/// be reading it (then it is left to the process's exit).
char *ws_cleanup_exchange(size_t slot, char *path);
/// Installs the handler for SIGINT, SIGTERM and SIGHUP once; a signal the process ignores, or
/// that already has another handler, is left as it is. Returns 0, or -1 if sigaction failed.
int ws_cleanup_install(void);
/// How many slots hold a path now.
size_t ws_cleanup_published(void);

#endif
