#include "cicushim.h"
#include <stdlib.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

int64_t cicushim_version(void) { return 1; }

int64_t cicushim_nfkc_utf8(const char *src, int64_t srcLen, char *dst, int64_t dstCap, int fold) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *norm = fold ? unorm2_getNFKCCasefoldInstance(&status) : unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status) || srcLen < 0 || srcLen > INT32_MAX / 4) return -1;

    UChar stackIn[512], stackOut[1024];
    UChar *in = stackIn, *out = stackOut;
    int32_t inCap = 512, outCap = 1024, inLen = 0, outLen = 0;
    int64_t result = -1;

    /* UTF-8 -> UTF-16; invalid sequences become U+FFFD. */
    u_strFromUTF8WithSub(in, inCap, &inLen, src, (int32_t)srcLen, 0xFFFD, NULL, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        status = U_ZERO_ERROR;
        inCap = inLen + 1;
        in = malloc(sizeof(UChar) * (size_t)inCap);
        if (!in) return -1;
        u_strFromUTF8WithSub(in, inCap, &inLen, src, (int32_t)srcLen, 0xFFFD, NULL, &status);
    }
    if (U_FAILURE(status)) goto done;

    outLen = unorm2_normalize(norm, in, inLen, out, outCap, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        status = U_ZERO_ERROR;
        outCap = outLen + 1;
        out = malloc(sizeof(UChar) * (size_t)outCap);
        if (!out) goto done;
        outLen = unorm2_normalize(norm, in, inLen, out, outCap, &status);
    }
    if (U_FAILURE(status)) goto done;

    int32_t needed = 0;
    u_strToUTF8(dst, (int32_t)(dstCap > INT32_MAX ? INT32_MAX : dstCap), &needed, out, outLen, &status);
    if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR && status != U_STRING_NOT_TERMINATED_WARNING) goto done;
    result = needed;

done:
    if (in != stackIn) free(in);
    if (out != stackOut) free(out);
    return result;
}
