import NIOCore
import Testing

@testable import ResetLabSteady

struct FrameTests {
    let parser = FrameParser(maximumPayload: 1024)

    static let session = SessionID(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)

    static let frames: [SteadyFrame] = [
        .hello(.init(session: session, position: .init(epoch: 7, receivedThrough: 41, firstHeld: 12))),
        .welcome(.init(resumed: true, position: .init(epoch: 9, receivedThrough: 11, firstHeld: 42))),
        .welcome(.init(resumed: false, position: .init(epoch: 1, receivedThrough: 0, firstHeld: 1))),
        .data(sequence: 1, payload: ByteBuffer(string: "hello")),
        .data(sequence: .max, payload: ByteBuffer()),
        .ack(through: 99),
        .heartbeat(through: 3),
        .goodbye,
        .refuse(reason: "unsupported version"),
    ]

    @Test(arguments: frames) func everyFrameSurvivesTheWire(_ frame: SteadyFrame) throws {
        var buffer = ByteBuffer()
        frame.write(to: &buffer)
        #expect(try self.parser.next(from: &buffer) == .frame(frame))
        #expect(buffer.readableBytes == 0)
    }

    @Test func framesArrivingByteByByteComeOutWholeAndInOrder() throws {
        var wire = ByteBuffer()
        for frame in Self.frames { frame.write(to: &wire) }
        var received = ByteBuffer()
        var out: [SteadyFrame] = []
        while let byte = wire.readInteger(as: UInt8.self) {
            received.writeInteger(byte)
            while case .frame(let frame) = try self.parser.next(from: &received) { out.append(frame) }
        }
        #expect(out == Self.frames)
    }

    @Test func anOversizedLengthIsRefusedBeforeItsBytesArrive() {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(10_000_000))
        buffer.writeInteger(UInt8(3))
        #expect(throws: SteadyProtocolError.frameTooLarge(length: 10_000_000, maximum: 1033)) {
            try self.parser.next(from: &buffer)
        }
    }

    @Test func aPayloadAtTheMaximumIsAccepted() throws {
        var buffer = ByteBuffer()
        SteadyFrame.data(sequence: 5, payload: ByteBuffer(repeating: 7, count: 1024)).write(to: &buffer)
        guard case .frame(.data(5, let payload)) = try self.parser.next(from: &buffer) else {
            Issue.record("no data frame")
            return
        }
        #expect(payload.readableBytes == 1024)
    }

    @Test func garbageIsAProtocolErrorNotACrash() {
        var http = ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n")
        #expect(throws: SteadyProtocolError.self) { try self.parser.next(from: &http) }
        var unknown = ByteBuffer(bytes: [0, 0, 0, 1, 99])
        #expect(throws: SteadyProtocolError.unknownFrameType(99)) { try self.parser.next(from: &unknown) }
        var empty = ByteBuffer(bytes: [0, 0, 0, 0])
        #expect(throws: SteadyProtocolError.emptyFrame) { try self.parser.next(from: &empty) }
        var shortAck = ByteBuffer(bytes: [0, 0, 0, 3, 4, 0, 1])
        #expect(throws: SteadyProtocolError.shortFrame(kind: "ack")) { try self.parser.next(from: &shortAck) }
    }

    @Test func anIncompleteFrameLeavesTheBufferUntouched() throws {
        var buffer = ByteBuffer()
        SteadyFrame.ack(through: 1).write(to: &buffer)
        var partial = buffer.getSlice(at: 0, length: 6)!
        #expect(try self.parser.next(from: &partial) == .needMoreData)
        #expect(partial.readableBytes == 6)
    }

    @Test func sessionIDsPrintAndParseAsHex() {
        #expect(Self.session.description == "0123456789abcdeffedcba9876543210")
        #expect(SessionID(hex: Self.session.description) == Self.session)
        #expect(SessionID(hex: "xyz") == nil)
        #expect(SessionID.random() != SessionID.random())
    }
}

extension SteadyFrame: CustomTestStringConvertible {
    public var testDescription: String {
        switch self {
        case .hello: "hello"
        case .welcome(let welcome): "welcome(resumed: \(welcome.resumed))"
        case .data(let sequence, let payload): "data(\(sequence), \(payload.readableBytes) bytes)"
        case .ack(let through): "ack(\(through))"
        case .heartbeat(let through): "heartbeat(\(through))"
        case .goodbye: "goodbye"
        case .refuse: "refuse"
        }
    }
}
