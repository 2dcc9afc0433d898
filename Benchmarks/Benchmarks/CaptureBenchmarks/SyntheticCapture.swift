/// A pcap of many interleaved TCP connections, built in memory: each a handshake, some data each way and
/// an ending (mostly FIN exchanges, some resets), `live` of them open at once, like a busy server's
/// capture. Deterministic: the same arguments give the same bytes.
enum SyntheticCapture {
    static func pcap(packets target: Int, live: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(target * 110)
        append32(&bytes, 0xa1b2_c3d4)
        bytes += [2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        append32(&bytes, 262_144)
        append32(&bytes, 1)
        var random = UInt64(0x2545_f491_4f6c_dd1d)
        func next(_ bound: Int) -> Int {
            random ^= random << 13
            random ^= random >> 7
            random ^= random << 17
            return Int(random % UInt64(bound))
        }
        struct Connection {
            var client: [UInt8]
            var port: UInt16
            var script: [(flags: UInt8, fromClient: Bool, length: Int)]
            var step = 0
            var clientSequence: UInt32
            var serverSequence: UInt32
        }
        var open: [Connection] = []
        var written = 0
        var index = 0
        var time: UInt32 = 0
        while written < target {
            while open.count < live {
                index += 1
                var script: [(UInt8, Bool, Int)] = [(0x02, true, 0), (0x12, false, 0), (0x10, true, 0)]
                for _ in 0..<(2 + next(10)) {
                    script.append((0x18, true, 40 + next(80)))
                    script.append((0x18, false, 40 + next(80)))
                }
                script += next(10) < 8 ? [(0x11, true, 0), (0x11, false, 0), (0x10, true, 0)] : [(0x14, false, 0)]
                let port = UInt16(1024 + index % 60_000)
                open.append(Connection(
                    client: [10, 0, UInt8(index >> 8 & 0xff), UInt8(index & 0xff)], port: port, script: script,
                    clientSequence: UInt32(truncatingIfNeeded: random), serverSequence: UInt32(truncatingIfNeeded: random >> 32)))
            }
            let position = next(open.count)
            let step = open[position].script[open[position].step]
            open[position].step += 1
            time &+= 50
            let port = open[position].port
            let sequence = step.fromClient ? open[position].clientSequence : open[position].serverSequence
            let acknowledgement = step.fromClient ? open[position].serverSequence : open[position].clientSequence
            let advance = UInt32(step.length) + (step.flags & 0x03 != 0 ? 1 : 0)
            if step.fromClient { open[position].clientSequence &+= advance } else { open[position].serverSequence &+= advance }
            let frameLength = 54 + step.length
            append32(&bytes, 1_700_000_000 + time / 1_000_000)
            append32(&bytes, time % 1_000_000)
            append32(&bytes, UInt32(frameLength))
            append32(&bytes, UInt32(frameLength))
            bytes += [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0]
            let total = UInt16(40 + step.length)
            bytes += [0x45, 0, UInt8(total >> 8), UInt8(total & 0xff), 0, 0, 0x40, 0, 64, 6, 0, 0]
            let client = open[position].client
            let server: [UInt8] = [192, 0, 2, 1]
            bytes += step.fromClient ? client + server : server + client
            let (source, destination) = step.fromClient ? (port, UInt16(443)) : (UInt16(443), port)
            bytes += [UInt8(source >> 8), UInt8(source & 0xff), UInt8(destination >> 8), UInt8(destination & 0xff)]
            appendBig32(&bytes, sequence)
            appendBig32(&bytes, step.flags & 0x10 != 0 ? acknowledgement : 0)
            bytes += [0x50, step.flags, 0xff, 0xff, 0, 0, 0, 0]
            bytes += repeatElement(0x61, count: step.length)
            written += 1
            if open[position].step == open[position].script.count { open.swapAt(position, open.count - 1); open.removeLast() }
        }
        return bytes
    }

    private static func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        bytes += [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
    }

    private static func appendBig32(_ bytes: inout [UInt8], _ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
