#if canImport(Glibc)
import Glibc
#endif

/// Training pairs out of core: one spill file per stratum (raw 12-byte records) in the
/// temporary directory. Pairs are appended through one small buffer per stratum; `sort` then
/// puts every stratum into training order (`PairOrder`), in place when the stratum fits the
/// sort budget, otherwise after an MSD split by the key's top bits into sub-files (which keeps
/// the order: the result is the same as sorting in memory). Training streams each stratum
/// back with sequential `pread`s and kernel read-ahead (`PairChunkReader`). Every file is
/// registered with `TemporaryFiles`: removed on success, on failure and on interrupt.
final class StratumFiles {
    let paths: [String]
    private var descriptors: [Int32]
    /// Pairs per stratum.
    private(set) var sizes: [Int]
    private let buffers: UnsafeMutablePointer<TrainingPair>
    private let bufferPairs: Int
    private var filled: [Int]

    /// Creates one empty file per stratum in `directory`; the append buffers take at most
    /// `bufferBytes` in all.
    init(directory: String, strata: Int, bufferBytes: Int) throws {
        paths = (0..<strata).map { TemporaryFileOwner.scratch(in: directory, kind: "pairs-\($0).strat") }
        descriptors = []
        sizes = [Int](repeating: 0, count: strata)
        filled = [Int](repeating: 0, count: strata)
        bufferPairs = max(1024, bufferBytes / max(1, strata) / MemoryLayout<TrainingPair>.stride)
        buffers = .allocate(capacity: bufferPairs * strata)
        do {
            for p in paths { descriptors.append(try StratumFiles.create(p)) }
        } catch {
            removeAll()
            throw error
        }
    }

    deinit {
        removeAll()
        buffers.deallocate()
    }

    /// Closes and deletes every file.
    func removeAll() {
        for fd in descriptors where fd >= 0 { close(fd) }
        descriptors = descriptors.map { _ in -1 }
        for p in paths { TemporaryFiles.remove(p) }
    }

    var count: Int { sizes.reduce(0, +) }

    @inline(__always)
    func append(_ p: TrainingPair, stratum s: Int) throws {
        let slot = buffers + s * bufferPairs
        slot[filled[s]] = p
        filled[s] += 1
        if filled[s] == bufferPairs { try flush(stratum: s) }
    }

    private func flush(stratum s: Int) throws {
        guard filled[s] > 0 else { return }
        try StratumFiles.write(descriptors[s], buffers + s * bufferPairs, count: filled[s], path: paths[s])
        sizes[s] += filled[s]
        filled[s] = 0
    }

    func flushAll() throws {
        for s in 0..<paths.count { try flush(stratum: s) }
    }

    /// Puts every stratum into training order with at most `sortBytes` of buffers in all,
    /// shared among `workers` threads (each sorts whole strata). `done` is called with the
    /// number of pairs sorted so far (from the calling thread's worker 0 only).
    func sort(order: PairOrder, sortBytes: Int, workers: Int, done: (Int) -> Void) throws {
        try flushAll()
        let workers = max(1, min(workers, paths.count))
        let perWorker = max(1 << 16, sortBytes / workers / MemoryLayout<TrainingPair>.stride)
        let failures = UnsafeMutablePointer<Error?>.allocate(capacity: workers)
        failures.initialize(repeating: nil, count: workers)
        defer { failures.deinitialize(count: workers); failures.deallocate() }
        let failed = SharedPointer(failures)
        let me = UncheckedBox(self)
        var sorted = 0
        Parallel.run(threads: workers) { w in
            let buffer = PairBuffer(pairs: perWorker)
            for s in Swift.stride(from: w, to: me.value.paths.count, by: workers) {
                do {
                    try me.value.sortStratum(s, order: order, buffer: buffer)
                } catch {
                    failed[w] = error
                    return
                }
                if w == 0 {
                    sorted += me.value.sizes[s]
                    done(sorted * workers)
                }
            }
        }
        for w in 0..<workers { if let e = failures[w] { throw e } }
    }

    private func sortStratum(_ s: Int, order: PairOrder, buffer: PairBuffer) throws {
        let n = sizes[s]
        if n <= buffer.capacity {
            try StratumFiles.read(descriptors[s], into: buffer.base, count: n, at: 0, path: paths[s])
            order.sort(buffer.base, count: n)
            try StratumFiles.write(descriptors[s], buffer.base, count: n, at: 0, path: paths[s])
            return
        }
        // Too large: split by the key's top bits, then sort each part and append it.
        let parts = try split(descriptor: descriptors[s], path: paths[s], count: n, usedBits: 0, order: order, buffer: buffer)
        if ftruncate(descriptors[s], 0) != 0 {
            throw WordshiftError.io(path: paths[s], message: "cannot truncate spill file: \(System.errnoString())")
        }
        var written = 0
        try sortParts(parts, order: order, buffer: buffer, output: descriptors[s], outputPath: paths[s], written: &written)
        if written != n { throw WordshiftError.io(path: paths[s], message: "internal: \(written) of \(n) pairs sorted") }
    }

    private struct Part { let path: String; let count: Int; let usedBits: Int }

    /// Sorts each part (splitting further when still too large) and appends it to `output`.
    private func sortParts(_ parts: [Part], order: PairOrder, buffer: PairBuffer, output: Int32, outputPath: String,
                           written: inout Int) throws {
        var remaining = parts
        defer { for p in remaining { TemporaryFiles.remove(p.path) } }
        while !remaining.isEmpty {
            let part = remaining.removeFirst()
            let fd = open(part.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                TemporaryFiles.remove(part.path)
                throw WordshiftError.io(path: part.path, message: "cannot open spill file: \(System.errnoString())")
            }
            do {
                if part.count <= buffer.capacity {
                    try StratumFiles.read(fd, into: buffer.base, count: part.count, at: 0, path: part.path)
                    order.sort(buffer.base, count: part.count)
                    try StratumFiles.write(output, buffer.base, count: part.count, at: written, path: outputPath)
                    written += part.count
                } else {
                    let sub = try split(descriptor: fd, path: part.path, count: part.count, usedBits: part.usedBits,
                                        order: order, buffer: buffer)
                    close(fd)
                    TemporaryFiles.remove(part.path)
                    try sortParts(sub, order: order, buffer: buffer, output: output, outputPath: outputPath, written: &written)
                    continue
                }
            } catch {
                close(fd)
                TemporaryFiles.remove(part.path)
                throw error
            }
            close(fd)
            TemporaryFiles.remove(part.path)
        }
    }

    /// Splits `count` pairs of a file into 2^k part files by the key bits after `usedBits`,
    /// so that each part is expected to fill at most half the buffer.
    private func split(descriptor: Int32, path: String, count: Int, usedBits: Int, order: PairOrder,
                       buffer: PairBuffer) throws -> [Part] {
        var bits = 1
        while bits < 16 && count > (buffer.capacity / 2) << bits { bits += 1 }
        bits = min(bits, 64 - usedBits)
        guard bits > 0 else { throw WordshiftError.io(path: path, message: "internal: cannot split a stratum further") }
        let partCount = 1 << bits
        // Half the buffer reads the source; the other half buffers the parts' appends.
        let readPairs = buffer.capacity / 2
        let partPairs = max(1, (buffer.capacity - readPairs) / partCount)
        let outBase = buffer.base + readPairs
        var outFill = [Int](repeating: 0, count: partCount)
        var partSizes = [Int](repeating: 0, count: partCount)
        var parts: [(path: String, fd: Int32)] = []
        defer { for p in parts { close(p.fd) } }
        do {
            for _ in 0..<partCount {
                let p = "\(path).\(parts.count)"
                parts.append((p, try StratumFiles.create(p)))
            }
            func flushPart(_ k: Int) throws {
                guard outFill[k] > 0 else { return }
                try StratumFiles.write(parts[k].fd, outBase + k * partPairs, count: outFill[k], path: parts[k].path)
                partSizes[k] += outFill[k]
                outFill[k] = 0
            }
            var offset = 0
            while offset < count {
                let n = min(readPairs, count - offset)
                try StratumFiles.read(descriptor, into: buffer.base, count: n, at: offset, path: path)
                for i in 0..<n {
                    let p = buffer.base[i]
                    let k = Int((order.key(p) << UInt64(usedBits)) >> UInt64(64 - bits))
                    (outBase + k * partPairs)[outFill[k]] = p
                    outFill[k] += 1
                    if outFill[k] == partPairs { try flushPart(k) }
                }
                offset += n
            }
            for k in 0..<partCount { try flushPart(k) }
        } catch {
            for p in parts { TemporaryFiles.remove(p.path) }
            throw error
        }
        return (0..<partCount).map { Part(path: parts[$0].path, count: partSizes[$0], usedBits: usedBits + bits) }
    }

    /// Streams stratum `s` to `body` in chunks of the reader's buffer.
    func stream(stratum s: Int, reader: PairChunkReader, _ body: (UnsafePointer<TrainingPair>, Int) -> Void) throws {
        try reader.stream(descriptor: descriptors[s], count: sizes[s], path: paths[s], body)
    }

    // MARK: file primitives

    static func create(_ path: String) throws -> Int32 {
        TemporaryFiles.register(path)
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = System.errnoString()
            TemporaryFiles.remove(path)
            throw WordshiftError.io(path: path, message: "cannot create spill file: \(reason)")
        }
        return fd
    }

    /// Writes `count` pairs at `at` (in pairs), or appends when `at` is nil.
    static func write(_ fd: Int32, _ p: UnsafePointer<TrainingPair>, count: Int, at: Int? = nil, path: String) throws {
        let stride = MemoryLayout<TrainingPair>.stride
        var bytes = count * stride
        var raw = UnsafeRawPointer(p)
        var offset = (at ?? 0) * stride
        while bytes > 0 {
            let n = at == nil ? Glibc.write(fd, raw, bytes) : pwrite(fd, raw, bytes, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw WordshiftError.io(path: path, message: "cannot write training pairs (disk full? free space or use --temp-dir): "
                    + (n < 0 ? System.errnoString() : "no progress"))
            }
            bytes -= n
            raw += n
            offset += n
        }
    }

    /// Reads exactly `count` pairs starting at pair `at`.
    static func read(_ fd: Int32, into p: UnsafeMutablePointer<TrainingPair>, count: Int, at: Int, path: String) throws {
        let stride = MemoryLayout<TrainingPair>.stride
        var bytes = count * stride
        var raw = UnsafeMutableRawPointer(p)
        var offset = at * stride
        while bytes > 0 {
            let n = pread(fd, raw, bytes, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw WordshiftError.io(path: path, message: n < 0 ? "cannot read spill file: \(System.errnoString())"
                                                                   : "spill file is shorter than written (removed or truncated by someone else?)")
            }
            bytes -= n
            raw += n
            offset += n
        }
    }
}

/// A buffer of pairs mapped straight from the kernel (so its pages go back when it is freed,
/// whatever glibc's thresholds).
final class PairBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<TrainingPair>
    let capacity: Int
    private let bytes: Int

    init(pairs: Int) {
        capacity = max(1, pairs)
        bytes = capacity * MemoryLayout<TrainingPair>.stride
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { fatalError("PairBuffer: cannot map \(bytes) bytes") }
        base = p.bindMemory(to: TrainingPair.self, capacity: capacity)
    }

    deinit { munmap(UnsafeMutableRawPointer(base), bytes) }
}

/// One training thread's window onto a spilled stratum: sequential `pread`s of a few MB into
/// its own buffer, asking the kernel to read the next chunk ahead (`POSIX_FADV_WILLNEED`)
/// before the current one is trained, so disk reads overlap the arithmetic.
final class PairChunkReader: @unchecked Sendable {
    let buffer: PairBuffer
    init(chunkPairs: Int) { buffer = PairBuffer(pairs: chunkPairs) }

    func stream(descriptor fd: Int32, count: Int, path: String, _ body: (UnsafePointer<TrainingPair>, Int) -> Void) throws {
        let stride = MemoryLayout<TrainingPair>.stride
        let chunk = buffer.capacity
        if count > 0 { _ = posix_fadvise(fd, 0, off_t(min(count, chunk) * stride), POSIX_FADV_WILLNEED) }
        var offset = 0
        while offset < count {
            let n = min(chunk, count - offset)
            try StratumFiles.read(fd, into: buffer.base, count: n, at: offset, path: path)
            let next = offset + n
            if next < count {
                _ = posix_fadvise(fd, off_t(next * stride), off_t(min(chunk, count - next) * stride), POSIX_FADV_WILLNEED)
            }
            body(UnsafePointer(buffer.base), n)
            offset = next
        }
    }
}
