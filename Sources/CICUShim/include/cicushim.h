#ifndef CICUSHIM_H
#define CICUSHIM_H
#include <stdint.h>
/* Placeholder: the Text stage owns this shim (NFKC case folding through system ICU). */
int64_t cicushim_version(void);
#endif
