import Testing
@testable import Wordshift

/// The allocator setting `wordshift import` makes before it reads.
@Suite struct LargeBlocksTests {
    /// glibc takes both thresholds (it refuses an mmap threshold above 32 MiB, and a C file
    /// that does not see glibc's headers compiles to a no-op: both once happened here). The test
    /// process keeps the setting, which only changes speed.
    @Test func glibcTakesBothThresholds() {
        #if os(Linux)
        #expect(LargeBlocks.keepInHeap())
        #endif
    }
}
