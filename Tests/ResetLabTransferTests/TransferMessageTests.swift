import Testing

@testable import ResetLabTransfer

@Suite struct TransferMessageTests {
    static let digest = SHA256Digest(computed: Array(0..<32))

    static let messages: [TransferMessage] = [
        .offer(TransferOffer(name: "report.pdf", identity: FileIdentity(size: 1 << 40, modifiedNanoseconds: -5), sender: 42)),
        .offer(TransferOffer(name: "naïve résumé.txt", identity: FileIdentity(size: 0, modifiedNanoseconds: 1_700_000_000_123_456_789), sender: .max)),
        .accept(offset: 0),
        .accept(offset: 123_456_789_012),
        .refuse(TransferRefusal(code: .busy, reason: "busy right now")),
        .chunk(ChunkHeader(offset: 1 << 20, crc32c: 0xDEAD_BEEF), data: [1, 2, 3, 4, 5]),
        .chunk(ChunkHeader(offset: 0, crc32c: 0), data: []),
        .ack(offset: .max),
        .done(digest),
        .verified(digest),
        .mismatch(digest),
    ]

    @Test(arguments: messages)
    func roundTrips(_ message: TransferMessage) throws {
        var parser = TransferFrameParser()
        parser.append(message.encoded())
        #expect(try parser.next() == message)
        #expect(try parser.next() == nil)
        #expect(parser.bufferedCount == 0)
    }

    @Test func decodesWhateverPiecesTheStreamArrivesIn() throws {
        let stream = Self.messages.flatMap { $0.encoded() }
        for pieceSize in [1, 2, 3, 7, 64, stream.count] {
            var parser = TransferFrameParser()
            var decoded: [TransferMessage] = []
            var index = 0
            while index < stream.count {
                parser.append(stream[index..<min(stream.count, index + pieceSize)])
                index += pieceSize
                while let message = try parser.next() { decoded.append(message) }
            }
            #expect(decoded == Self.messages, "pieces of \(pieceSize)")
        }
    }

    @Test(arguments: TransferMessageTests.messages)
    func truncatedFramesWaitForMoreBytes(_ message: TransferMessage) throws {
        let bytes = message.encoded()
        for cut in 0..<bytes.count {
            var parser = TransferFrameParser()
            parser.append(bytes[..<cut])
            #expect(try parser.next() == nil, "cut at \(cut) of \(bytes.count)")
        }
    }

    @Test func oversizedLengthIsRefusedFromTheHeaderAlone() {
        // A CHUNK announcing 4 GiB: refused with only the five header bytes in, nothing allocated for it.
        var parser = TransferFrameParser()
        parser.append([TransferMessageType.chunk.rawValue, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: TransferProtocolError.oversized(type: .chunk, length: 0xFFFF_FFFF, limit: ChunkHeader.size + TransferLimits.maximumChunkData)) {
            try parser.next()
        }
        #expect(throws: TransferProtocolError.oversized(type: .offer, length: 4097, limit: 4096)) {
            try TransferFrameHeader(decoding: [1, 0, 0, 0x10, 0x01])
        }
        #expect(throws: TransferProtocolError.oversized(type: .ack, length: 9, limit: 8)) {
            try TransferFrameHeader(decoding: [5, 0, 0, 0, 9])
        }
    }

    @Test func garbageIsRefused() {
        var parser = TransferFrameParser()
        parser.append(Array("GET / HTTP/1.1\r\n".utf8))
        #expect(throws: TransferProtocolError.unknownType(UInt8(ascii: "G"))) { try parser.next() }
        #expect(throws: TransferProtocolError.unknownType(0)) { try TransferFrameHeader(decoding: [0, 0, 0, 0, 0]) }
    }

    @Test func payloadsThatDoNotFitTheirTypeAreRefused() {
        // ACCEPT with 4 bytes instead of 8.
        #expect(throws: TransferProtocolError.self) { try Self.parse([2, 0, 0, 0, 4, 0, 0, 0, 1]) }
        // DONE with a 31-byte digest.
        #expect(throws: TransferProtocolError.self) { try Self.parse([6, 0, 0, 0, 31] + [UInt8](repeating: 0, count: 31)) }
        // CHUNK shorter than its fixed part.
        #expect(throws: TransferProtocolError.truncated(expected: 12, got: 3)) { try Self.parse([4, 0, 0, 0, 3, 0, 0, 0]) }
        // OFFER whose name length points past the payload.
        var offer = TransferMessage.offer(TransferOffer(name: "a", identity: FileIdentity(size: 1, modifiedNanoseconds: 1), sender: 1)).encoded()
        offer[offer.count - 2] = 9
        #expect(throws: TransferProtocolError.malformed(type: .offer, reason: "shorter than its fields")) { try Self.parse(offer) }
        // OFFER whose name is not UTF-8.
        var invalid = TransferMessage.offer(TransferOffer(name: "ab", identity: FileIdentity(size: 1, modifiedNanoseconds: 1), sender: 1)).encoded()
        invalid[invalid.count - 1] = 0xFF
        #expect(throws: TransferProtocolError.malformed(type: .offer, reason: "the file name is not valid UTF-8")) { try Self.parse(invalid) }
        // OFFER from another protocol version.
        var future = TransferMessage.offer(TransferOffer(name: "a", identity: FileIdentity(size: 1, modifiedNanoseconds: 1), sender: 1)).encoded()
        future[5] = 9
        #expect(throws: TransferProtocolError.unsupportedVersion(9)) { try Self.parse(future) }
    }

    @Test func unknownRefusalCodesDecodeAsOther() throws {
        let message = try Self.parse([3, 0, 0, 0, 5, 77, 0, 2, UInt8(ascii: "n"), UInt8(ascii: "o")])
        #expect(message == .refuse(TransferRefusal(code: .other, reason: "no")))
    }

    @Test func chunkChecksumsCatchFlippedBits() {
        var data: [UInt8] = Array(repeating: 0xAB, count: 4096)
        let header = data.withUnsafeBytes { ChunkHeader(offset: 0, data: $0) }
        #expect(data.withUnsafeBytes { header.matches($0) })
        data[1234] ^= 0x01
        #expect(!data.withUnsafeBytes { header.matches($0) })
        // The published CRC-32C check value of "123456789".
        #expect(Array("123456789".utf8).withUnsafeBytes { ChunkHeader.checksum($0) } == 0xE306_9283)
    }

    private static func parse(_ bytes: [UInt8]) throws -> TransferMessage? {
        var parser = TransferFrameParser()
        parser.append(bytes)
        return try parser.next()
    }
}
