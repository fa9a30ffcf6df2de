#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for the large arrays that searches read at random (the unit matrix,
/// the graph's layer-0 links, the int8 copy).
///
/// A graph search touches a few thousand rows scattered over hundreds of megabytes: with 4 KiB
/// pages nearly every row costs a TLB miss and a page-table walk. On Linux, where the system's
/// setting is `madvise` (as on the machines measured here), an array gets 2 MiB pages only if asked;
/// this asks for the 2 MiB-aligned interior of a fresh allocation, before it is first written,
/// so the pages it gets are ones the array fills completely (resident memory does not grow).
/// The kernel may refuse or fall back to small pages; nothing depends on it. On other systems,
/// and for arrays under 4 MiB, it does nothing. `WORDSHIFT_HUGE_PAGES=0` turns it off (for
/// comparisons).
enum HugePages {
    static let pageBytes = 2 << 20

    static let enabled: Bool = {
        #if os(Linux)
        guard let v = getenv("WORDSHIFT_HUGE_PAGES") else { return true }
        return String(cString: v) != "0"
        #else
        return false
        #endif
    }()

    /// Advises huge pages for the whole 2 MiB pages inside `count` elements at `base`.
    static func advise<T>(_ base: UnsafeMutablePointer<T>, count: Int) {
        #if os(Linux)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard enabled, !overflow, bytes >= 2 * pageBytes else { return }
        let address = UInt(bitPattern: base)
        let mask = UInt(pageBytes - 1)
        let (end, endOverflow) = address.addingReportingOverflow(UInt(bytes))
        guard !endOverflow, address <= UInt.max - mask else { return }
        let first = (address + mask) & ~mask, last = end & ~mask
        guard last > first, let start = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(start, Int(last - first), MADV_HUGEPAGE)
        #endif
    }
}
