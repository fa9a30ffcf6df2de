/// A sorted stream of entries with unique keys.
protocol EntrySource: AnyObject {
    func next() throws -> CooccurrenceEntry?
}

/// Entries of a sorted in-memory run.
final class MemoryRun: EntrySource {
    private let entries: UnsafeMutablePointer<CooccurrenceEntry>
    let count: Int
    private var position = 0

    /// Copies `count` sorted entries.
    init(copying source: UnsafePointer<CooccurrenceEntry>, count: Int) {
        self.count = count
        entries = .allocate(capacity: max(1, count))
        entries.update(from: source, count: count)
    }

    /// Takes ownership of `entries` (allocated with `UnsafeMutablePointer.allocate`).
    init(adopting entries: UnsafeMutablePointer<CooccurrenceEntry>, count: Int) {
        self.count = count
        self.entries = entries
    }

    deinit { entries.deallocate() }

    var bytes: Int { count * 16 }

    func rewind() { position = 0 }

    func next() throws -> CooccurrenceEntry? {
        guard position < count else { return nil }
        position += 1
        return entries[position - 1]
    }
}

/// k-way merge of sorted sources through a binary heap; entries with equal keys are summed.
final class EntryMerge: EntrySource {
    private var sources: [EntrySource]
    private var heap: [(entry: CooccurrenceEntry, source: Int)] = []

    init(_ sources: [EntrySource]) throws {
        self.sources = sources
        for (i, s) in sources.enumerated() {
            if let e = try s.next() { push((e, i)) }
        }
    }

    func next() throws -> CooccurrenceEntry? {
        guard var result = try pop() else { return nil }
        while let top = heap.first, top.entry.key == result.key {
            guard let more = try pop() else { break }
            result.units &+= more.units
        }
        return result
    }

    private func pop() throws -> CooccurrenceEntry? {
        guard let top = heap.first else { return nil }
        if let replacement = try sources[top.source].next() {
            heap[0] = (replacement, top.source)
        } else {
            let last = heap.removeLast()
            if heap.isEmpty { return top.entry }
            heap[0] = last
        }
        siftDown(0)
        return top.entry
    }

    private func push(_ item: (entry: CooccurrenceEntry, source: Int)) {
        heap.append(item)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if heap[parent].entry.key <= heap[i].entry.key { break }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    private func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n && heap[l].entry.key < heap[m].entry.key { m = l }
            if r < n && heap[r].entry.key < heap[m].entry.key { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}
