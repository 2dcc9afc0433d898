extension IPAddress {
    /// Parses `192.0.2.1` or an IPv6 address (`::1`, `2001:db8::5`, `::ffff:192.0.2.1`); `nil` otherwise.
    public init?(parsing text: String) {
        if !text.contains(":") {
            guard let value = Self.parseIPv4(Substring(text)) else { return nil }
            self.init(ipv4: value)
            return
        }
        guard let groups = Self.parseIPv6(text) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, group) in groups.enumerated() {
            if index < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
        }
        self.init(high: high, low: low, isIPv6: true)
    }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// The eight 16-bit groups, with `::` expanded and a trailing dotted quad folded into two groups.
    private static func parseIPv6(_ text: String) -> [UInt16]? {
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let quad = parseIPv4(piece) else { return nil }
                    result += [UInt16(quad >> 16), UInt16(quad & 0xffff)]
                } else {
                    guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16) else { return nil }
                    result.append(group)
                }
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 7 else { return nil }
        return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}

extension String {
    /// Splits at `::` (at most the first two pieces matter to the caller).
    fileprivate func components(separatedByDoubleColon: ()) -> [Substring] {
        var pieces: [Substring] = []
        var start = self.startIndex
        var index = self.startIndex
        while index < self.endIndex {
            let next = self.index(after: index)
            if self[index] == ":", next < self.endIndex, self[next] == ":" {
                pieces.append(self[start..<index])
                start = self.index(after: next)
                index = start
            } else {
                index = next
            }
        }
        pieces.append(self[start...])
        return pieces
    }
}
