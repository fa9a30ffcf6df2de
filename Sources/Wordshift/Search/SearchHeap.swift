/// A binary max-heap of (key, row) pairs in one growable buffer, reused across queries so a
/// search allocates nothing once it is warm. Graph search keeps two: candidates keyed by
/// similarity (best on top) and results keyed by negated similarity (worst on top).
final class SearchHeap {
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

    deinit { storage.deallocate() }

    @inline(__always) var isEmpty: Bool { count == 0 }
    @inline(__always) var top: Entry { storage[0] }

    @inline(__always) func removeAll() { count = 0 }

    @inline(__always)
    func push(_ key: Float, _ id: Int32) {
        if count == capacity { grow() }
        var i = count
        count += 1
        let e = Entry(key: key, id: id)
        while i > 0 {
            let parent = (i - 1) >> 1
            if storage[parent].key >= key { break }
            storage[i] = storage[parent]
            i = parent
        }
        storage[i] = e
    }

    @inline(__always)
    @discardableResult
    func pop() -> Entry {
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

    private func grow() {
        let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}
