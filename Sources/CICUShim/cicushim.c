#include "cicushim.h"
int64_t cicushim_version(void) { return 0; }
