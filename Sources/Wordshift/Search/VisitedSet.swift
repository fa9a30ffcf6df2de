/// Which rows one graph search has reached: one stamp per row, and a search marks a row by
/// writing its own stamp. Starting a new search is one increment, not a clear of the array
/// (the array is cleared only when the stamp wraps around, once in 255 searches: a byte a row
/// keeps the set small beside the vectors, and one clear per 255 searches costs nothing
/// next to the searches).
final class VisitedSet {
    /// One stamp per row.
    let stamps: UnsafeMutablePointer<UInt8>
    private let count: Int
    private var current: UInt8 = 0

    init(count: Int) {
        self.count = max(1, count)
        stamps = .allocate(capacity: self.count)
        stamps.initialize(repeating: 0, count: self.count)
    }

    deinit { stamps.deallocate() }

    /// Starts a new search: returns the stamp that marks a row as reached in it.
    func next() -> UInt8 {
        current &+= 1
        if current == 0 {
            stamps.update(repeating: 0, count: count)
            current = 1
        }
        return current
    }
}
