#include "signal_cleanup.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define WS_FIRST_CHUNK ((size_t)1024)
#define WS_CHUNKS 40 /* 1024 * (2^40 - 1) slots: more than any address space holds */

typedef _Atomic(char *) ws_slot;

static _Atomic(ws_slot *) chunks[WS_CHUNKS];
static atomic_int handler_running;
static atomic_int installed;

long ws_cleanup_chunk_of(size_t slot) {
    /* Chunk k starts at slot 1024 * (2^k - 1), so slot / 1024 + 1 lies in [2^k, 2^(k+1)). */
    size_t q = slot / WS_FIRST_CHUNK + 1;
    long k = 0;
    while ((q >> (k + 1)) != 0) k++;
    return k < WS_CHUNKS ? k : -1;
}

size_t ws_cleanup_chunk_size(long chunk) {
    return (chunk >= 0 && chunk < WS_CHUNKS) ? WS_FIRST_CHUNK << chunk : 0;
}

int ws_cleanup_has_chunk(long chunk) {
    return chunk >= 0 && chunk < WS_CHUNKS && atomic_load(&chunks[chunk]) != NULL;
}

int ws_cleanup_attach_chunk(long chunk, void *zeroed) {
    if (chunk < 0 || chunk >= WS_CHUNKS || zeroed == NULL) return -1;
    ws_slot *expected = NULL;
    return atomic_compare_exchange_strong(&chunks[chunk], &expected, (ws_slot *)zeroed) ? 0 : -1;
}

char *ws_cleanup_exchange(size_t slot, char *path) {
    long k = ws_cleanup_chunk_of(slot);
    if (k < 0) return NULL;
    ws_slot *c = atomic_load(&chunks[k]);
    if (c == NULL) return NULL;
    size_t start = WS_FIRST_CHUNK * (((size_t)1 << k) - 1);
    char *old = atomic_exchange(&c[slot - start], path);
    /* Both sequentially consistent: if this load does not see the handler's store, the
       handler's later load of this slot sees the new value, so nobody else holds `old`. */
    if (atomic_load(&handler_running) != 0) return NULL;
    return old;
}

static size_t walk(int remove) {
    size_t n = 0;
    for (long k = 0; k < WS_CHUNKS; k++) {
        ws_slot *c = atomic_load(&chunks[k]);
        if (c == NULL) continue;
        size_t size = WS_FIRST_CHUNK << k;
        for (size_t i = 0; i < size; i++) {
            char *p = atomic_load(&c[i]);
            if (p == NULL) continue;
            n++;
            if (remove) (void)unlink(p);
        }
    }
    return n;
}

static void handler(int sig) {
    int saved = errno;
    atomic_store(&handler_running, 1);
    (void)walk(1);
    /* Die of the same signal, so the parent sees how the process ended: the signal is blocked
       while the handler runs and arrives with the default action as the handler returns. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    (void)sigaction(sig, &dfl, NULL);
    (void)raise(sig);
    errno = saved;
}

int ws_cleanup_install(void) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&installed, &expected, 1)) return 0;
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    const size_t count = sizeof signals / sizeof signals[0];
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < count; i++) sigaddset(&action.sa_mask, signals[i]);
    int status = 0;
    for (size_t i = 0; i < count; i++) {
        struct sigaction previous;
        if (sigaction(signals[i], NULL, &previous) != 0) { status = -1; continue; }
        if ((previous.sa_flags & SA_SIGINFO) != 0 || previous.sa_handler != SIG_DFL) continue;
        if (sigaction(signals[i], &action, NULL) != 0) status = -1;
    }
    return status;
}

size_t ws_cleanup_published(void) { return walk(0); }
