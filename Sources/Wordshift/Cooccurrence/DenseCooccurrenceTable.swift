#if canImport(Glibc)
import Glibc
#endif

/// Totals of the frequent pairs, kept in place: pair (i, j) of 0-based ids is stored here when
/// (i+1)·(j+1) ≤ `product` (the idea of the reference tools' bigram table: low ids are frequent
/// words, and their pairs take most of the increments). Row i holds columns 0..<min(V, product/(i+1)).
final class DenseCooccurrenceTable {
    let product: Int
    let vocabularySize: Int
    private let rowStart: [Int]
    private let cells: UnsafeMutablePointer<Int64>
    let cellCount: Int

    /// The largest table that fits in `bytes`.
    init(vocabularySize: Int, bytes: Int) {
        self.vocabularySize = vocabularySize
        let budget = max(0, bytes / 8)
        var lo = 0, hi = max(1, vocabularySize) * max(1, vocabularySize)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if DenseCooccurrenceTable.cells(product: mid, vocabularySize: vocabularySize) <= budget { lo = mid } else { hi = mid - 1 }
        }
        product = lo
        var starts = [Int](repeating: 0, count: vocabularySize + 1)
        for i in 0..<vocabularySize {
            starts[i + 1] = starts[i] + min(vocabularySize, product / (i + 1))
        }
        rowStart = starts
        cellCount = starts[vocabularySize]
        // calloc: pages that are never touched cost no memory.
        cells = calloc(max(1, cellCount), 8).assumingMemoryBound(to: Int64.self)
    }

    deinit { free(cells) }

    static func cells(product: Int, vocabularySize: Int) -> Int {
        var total = 0
        for i in 0..<vocabularySize {
            let n = product / (i + 1)
            if n == 0 { break }
            total += min(vocabularySize, n)
        }
        return total
    }

    @inline(__always) func holds(_ i: Int32, _ j: Int32) -> Bool { (Int(i) + 1) * (Int(j) + 1) <= product }

    @inline(__always) func add(_ i: Int32, _ j: Int32, _ units: Int64) {
        cells[rowStart[Int(i)] + Int(j)] &+= units
    }

    /// The non-zero cells as a sorted source of entries.
    func entries() -> EntrySource { DenseTableSource(table: self) }

    fileprivate func cell(_ i: Int, _ j: Int) -> Int64 { cells[rowStart[i] + j] }
    fileprivate func cellIndex(row i: Int) -> Int { rowStart[i] }

    /// Returns the memory of the cells before `end` (whole pages only) to the system; they
    /// read as zero afterwards. Used once those cells have been emitted.
    fileprivate func release(cellsBefore end: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return 0 }
        let start = UInt(bitPattern: UnsafeMutableRawPointer(cells))
        let alignedStart = (start + UInt(page) - 1) / UInt(page) * UInt(page)
        let stop = (start + UInt(end * 8)) / UInt(page) * UInt(page)
        guard stop > alignedStart, let p = UnsafeMutableRawPointer(bitPattern: alignedStart) else { return end }
        madvise(p, Int(stop - alignedStart), Int32(MADV_DONTNEED))
        return end
    }
    fileprivate func rowLength(_ i: Int) -> Int { rowStart[i + 1] - rowStart[i] }
}

private final class DenseTableSource: EntrySource {
    let table: DenseCooccurrenceTable
    var row = 0, column = 0
    private var released = 0
    init(table: DenseCooccurrenceTable) { self.table = table }

    func next() throws -> CooccurrenceEntry? {
        while row < table.vocabularySize {
            let length = table.rowLength(row)
            if length == 0 { return nil }
            while column < length {
                let u = table.cell(row, column)
                column += 1
                if u != 0 { return CooccurrenceEntry(Int32(row), Int32(column - 1), units: u) }
            }
            row += 1
            column = 0
            // Every 4 MB of emitted cells, give their pages back (the table is dead behind us).
            if row < table.vocabularySize, table.cellIndex(row: row) - released >= 1 << 19 {
                released = table.release(cellsBefore: table.cellIndex(row: row))
            }
        }
        return nil
    }
}
