/// Sizes of the readers' buffers. They are made for throughput on real files (megabytes);
/// a fuzzing build (`tools/fuzz.sh`, `-DFUZZING`) caps them at 4 KB. Each input of a fuzzing
/// campaign is at most 128 KB, so big buffers only cost time there (AddressSanitizer poisons
/// every byte of every freed buffer), and small ones make the paths for a line, a word or a batch
/// longer than the buffer reachable with small inputs. The readers' logic is the same either way.
package enum ReadBufferSize {
    @inline(__always)
    package static func bytes(_ production: Int) -> Int {
        #if FUZZING
        return min(production, 1 << 12)
        #else
        return production
        #endif
    }
}
