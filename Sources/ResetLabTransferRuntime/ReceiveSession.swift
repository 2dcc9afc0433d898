#if canImport(Glibc)
import Glibc
#endif
import ResetLabSteady
import ResetLabTransfer

/// One connection on the receiver: OFFER, then chunks, then DONE, with the replies. Runs on its own thread.
struct ReceiveSession: Sendable {
    let socket: TransferSocket
    let registry: ReceiverRegistry
    let directory: Int32
    let directoryPath: String
    let clock: @Sendable () -> Double
    let log: @Sendable (String) -> Void

    /// How the connection ended.
    enum Ending {
        /// The file was verified and saved.
        case verified(ReceivedFile)
        /// Anything else (refused, mismatch, connection lost); already logged.
        case other
    }

    func run() -> Ending {
        let offer: TransferOffer
        do throws(SteadyError) {
            offer = try self.readOffer()
        } catch {
            self.log("a connection ended before its OFFER: \(error)")
            return .other
        }
        let name: ReceivedFileName
        do throws(FileNameError) {
            name = try ReceivedFileName(validating: offer.name)
        } catch {
            self.refuse(TransferRefusal(code: .invalidName, reason: "refused the name '\(Self.printable(offer.name))': \(error)"))
            return .other
        }
        switch self.registry.claim(name.name, sender: offer.sender, connection: self.socket) {
        case .busy:
            self.refuse(TransferRefusal(code: .busy, reason: "\(name) is being received from another sender right now; try again when it is done"))
            return .other
        case .granted(let earlier):
            var file: IncomingFile?
            let ending = self.receive(offer, name: name, earlier: earlier, file: &file)
            self.registry.release(name.name, keeping: file)
            return ending
        }
    }

    /// Carries the file's transfer on this connection. `file` is left set when the file is unfinished
    /// (kept for the next connection) and `nil` when it is done with, either way.
    private func receive(_ offer: TransferOffer, name: ReceivedFileName, earlier: IncomingFile?, file: inout IncomingFile?) -> Ending {
        do {
            let incoming: IncomingFile
            if let earlier, earlier.identity == offer.identity {
                incoming = earlier
            } else {
                incoming = try IncomingFile(name: name, identity: offer.identity, directory: self.directory, now: self.clock())
            }
            file = incoming
            incoming.connections += 1
            try self.socket.send(TransferMessage.accept(offset: incoming.verified).encoded())
            return try self.chunks(into: incoming, file: &file)
        } catch let failure as ReceiveFailure {
            self.refuse(failure.refusal)
        } catch let error as SteadyError {
            self.log("\(name): connection lost at \(file?.verified ?? 0) of \(offer.identity.size) bytes: \(error)")
        } catch {
            self.log("\(name): \(error); dropping the connection")
        }
        return .other
    }

    private func chunks(into incoming: IncomingFile, file: inout IncomingFile?) throws -> Ending {
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        let headerBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: TransferFrameHeader.size, alignment: 8)
        defer { headerBytes.deallocate() }
        var acknowledging = true
        while true {
            try self.socket.receiveExactly(into: headerBytes)
            let header = try TransferFrameHeader(decoding: UnsafeRawBufferPointer(headerBytes))
            if header.length > buffer.count {
                buffer.deallocate()
                buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: header.length, alignment: 64)
            }
            let payload = UnsafeMutableRawBufferPointer(rebasing: buffer[..<header.length])
            try self.socket.receiveExactly(into: payload)
            switch header.type {
            case .chunk:
                let chunk = try ChunkHeader(decoding: UnsafeRawBufferPointer(payload))
                let data = UnsafeRawBufferPointer(rebasing: payload[ChunkHeader.size...])
                guard chunk.offset == incoming.verified, incoming.verified + UInt64(data.count) <= incoming.identity.size else {
                    throw TransferProtocolError.malformed(type: .chunk, reason: "a chunk of \(data.count) bytes at \(chunk.offset) does not continue the verified \(incoming.verified) bytes of \(incoming.identity.size)")
                }
                guard chunk.matches(data) else {
                    self.log("\(incoming.name): the chunk at \(chunk.offset) failed its CRC-32C; dropping the connection so the sender resends from \(incoming.verified)")
                    return .other
                }
                try incoming.append(data)
                if acknowledging {
                    do throws(SteadyError) {
                        try self.socket.send(TransferMessage.ack(offset: incoming.verified).encoded())
                    } catch {
                        // A reset connection may still hold chunks that arrived before the RST: keep reading
                        // them (each one saved is one the sender need not send again) until recv fails too.
                        acknowledging = false
                    }
                }
            case .done:
                guard case .done(let expected) = try TransferMessage.decode(header, payload: Array(payload)) else { return .other }
                guard incoming.verified == incoming.identity.size else {
                    throw TransferProtocolError.unexpected(.done, expecting: "\(incoming.identity.size - incoming.verified) more bytes")
                }
                file = nil
                let (digest, matched) = try incoming.finish(expecting: expected)
                guard matched else {
                    self.log("\(incoming.name): SHA-256 mismatch (received \(digest.hex), sender says \(expected.hex)); discarded \(incoming.name.partialName)")
                    try self.socket.send(TransferMessage.mismatch(digest).encoded())
                    return .other
                }
                try self.socket.send(TransferMessage.verified(digest).encoded())
                let separator = self.directoryPath.hasSuffix("/") ? "" : "/"
                let path = self.directoryPath + separator + incoming.name.name
                return .verified(ReceivedFile(
                    name: incoming.name.name, path: path, size: incoming.identity.size, sha256: digest,
                    seconds: self.clock() - incoming.firstSeen, startedAt: incoming.startedAt, resumes: incoming.connections - 1))
            default:
                throw TransferProtocolError.unexpected(header.type, expecting: "CHUNK or DONE")
            }
        }
    }

    private func readOffer() throws(SteadyError) -> TransferOffer {
        let headerBytes = try self.receive(count: TransferFrameHeader.size)
        do throws(TransferProtocolError) {
            let header = try TransferFrameHeader(decoding: headerBytes)
            guard header.type == .offer else { throw TransferProtocolError.unexpected(header.type, expecting: "OFFER") }
            let payload: [UInt8]
            do throws(SteadyError) {
                payload = try self.receive(count: header.length)
            } catch {
                throw TransferProtocolError.truncated(expected: header.length, got: 0)
            }
            guard case .offer(let offer) = try TransferMessage.decode(header, payload: payload) else {
                throw TransferProtocolError.unexpected(header.type, expecting: "OFFER")
            }
            return offer
        } catch {
            if case .unsupportedVersion = error {
                self.refuse(TransferRefusal(code: .unsupportedVersion, reason: error.description))
            }
            throw SteadyError(.protocolViolation, detail: error.description)
        }
    }

    private func receive(count: Int) throws(SteadyError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
        defer { buffer.deallocate() }
        try self.socket.receiveExactly(into: buffer)
        return Array(buffer)
    }

    private func refuse(_ refusal: TransferRefusal) {
        self.log("refused: \(refusal.reason)")
        try? self.socket.send(TransferMessage.refuse(refusal).encoded())
    }

    /// `name` with control characters shown as `?`, safe to print and to send back.
    static func printable(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.prefix(200).map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : $0 }))
    }
}
