#ifndef CICUSHIM_H
#define CICUSHIM_H
#include <stdint.h>
/* A C facade over system ICU with no ICU types in the header: Swift cannot import ICU's
   versioned renaming macros, and Foundation's private ICU clashes with a system ICU module. */

int64_t cicushim_version(void);

/* Normalises UTF-8 `src` to NFKC_Casefold (fold != 0) or NFKC (fold == 0) and writes UTF-8
   into `dst`. Returns the length the result needs (may exceed dstCap: call again with a larger
   buffer), or -1 on an ICU error. `dst` is not NUL-terminated. */
int64_t cicushim_nfkc_utf8(const char *src, int64_t srcLen, char *dst, int64_t dstCap, int fold);

#endif
