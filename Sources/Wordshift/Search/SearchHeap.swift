/// A binary max-heap of (key, row) pairs in one growable buffer, reused across queries so a
/// search allocates nothing once it is warm. Graph search keeps two: candidates keyed by
/// similarity (best on top) and results keyed by negated similarity (worst on top).
///
/// A value type over a buffer its owner (`HNSWScratch`) frees: a search copies it into a local
/// variable for the hot loop (no exclusivity checks on class properties) and stores it back.
struct SearchHeap {
    struct Entry {
        var key: Float
        var id: Int32
    }

    private(set) var storage: UnsafeMutablePointer<Entry>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        storage = .allocate(capacity: self.capacity)
    }

    /// Frees the buffer; the owner calls it once, when it is done with the heap.
    func deallocate() { storage.deallocate() }

    @inline(__always) var isEmpty: Bool { count == 0 }
    @inline(__always) var top: Entry { storage[0] }

    @inline(__always) mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func push(_ key: Float, _ id: Int32) {
        if count == capacity { grow() }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if storage[parent].key >= key { break }
            storage[i] = storage[parent]
            i = parent
        }
        storage[i] = Entry(key: key, id: id)
    }

    @inline(__always)
    @discardableResult
    mutating func pop() -> Entry {
        let out = storage[0]
        count -= 1
        if count > 0 {
            let last = storage[count]
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= count { break }
                var c = l
                if l + 1 < count, storage[l + 1].key > storage[l].key { c = l + 1 }
                if storage[c].key <= last.key { break }
                storage[i] = storage[c]
                i = c
            }
            storage[i] = last
        }
        return out
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}
