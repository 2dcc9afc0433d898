import Foundation
import ResetLabSteady
import ResetLabTransfer

/// One run of ``FileSender``: the reconnect loop and each connection's conversation.
struct SendRun: ~Copyable {
    private let configuration: FileSender.Configuration
    private let source: SourceFile
    private let progress: (FileSender.Progress) -> Void
    private let sender = UInt64.random(in: 1...UInt64.max)
    private let started = DispatchTime.now().uptimeNanoseconds

    /// gRPC-style backoff between attempts that got nowhere, capped at 1 s: a restarted receiver is found
    /// again within a second, a long outage costs a dozen attempts a minute.
    private var backoff = ConnectionBackoff(.init(maximum: 1))
    private var random = SystemRandomNumberGenerator()
    private var chunkSizer: ChunkSizer
    private var verified: UInt64 = 0
    private var lastProgress = 0.0
    private var bytesSent: UInt64 = 0
    private var accepted = 0
    private var restarts = 0
    private var firstOffset: UInt64?
    private var lastError = "no connection was made"
    private var buffer: UnsafeMutableRawBufferPointer

    init(configuration: FileSender.Configuration, source: SourceFile, progress: @escaping (FileSender.Progress) -> Void) {
        self.configuration = configuration
        self.source = source
        self.progress = progress
        self.chunkSizer = ChunkSizer(preferred: configuration.chunkSize)
        self.buffer = .allocate(byteCount: configuration.chunkSize, alignment: 64)
    }

    deinit {
        self.buffer.deallocate()
    }

    private var now: Double { Double(DispatchTime.now().uptimeNanoseconds - self.started) / 1e9 }
    private var resumes: Int { max(0, self.accepted - 1 - self.restarts) }

    /// How one connection ended.
    private enum ConnectionEnd {
        case finished(SendSummary.Outcome)
        case restartFromZero
        case lost(SteadyError)
    }

    mutating func run() -> SendSummary {
        while true {
            if self.now - self.lastProgress > self.configuration.giveUpAfter {
                return self.summary(.gaveUp("no progress for \(Int(self.configuration.giveUpAfter)) s; last error: \(self.lastError)"))
            }
            let socket: TransferSocket
            do throws(SteadyError) {
                socket = try TransferSocket.connect(to: self.configuration.destination, timeout: min(10, self.configuration.giveUpAfter))
            } catch {
                self.lastError = error.description
                self.pause()
                continue
            }
            socket.setTimeouts(seconds: min(30, self.configuration.giveUpAfter))
            let before = self.verified
            switch self.converse(on: socket) {
            case .finished(let outcome):
                return self.summary(outcome)
            case .restartFromZero:
                self.restarts += 1
                self.verified = 0
            case .lost(let error):
                self.lastError = error.description
                self.chunkSizer.connectionEnded(verifiedBytes: self.verified - min(before, self.verified))
                // A connection that moved the file forward is followed by an immediate reconnect; only
                // connections that got nowhere make the backoff grow.
                if self.verified > before { self.backoff.reset() } else { self.pause() }
            }
        }
    }

    private mutating func pause() {
        let delay = self.backoff.nextDelay(using: &self.random)
        Thread.sleep(forTimeInterval: delay)
    }

    private mutating func converse(on socket: TransferSocket) -> ConnectionEnd {
        var reader = FrameReader(socket: socket)
        do {
            let offer = TransferOffer(name: self.configuration.name, identity: self.source.identity, sender: self.sender)
            try socket.send(TransferMessage.offer(offer).encoded())
            switch try reader.next() {
            case .accept(let offset):
                guard offset <= self.source.identity.size else {
                    return .finished(.gaveUp("the receiver asked for offset \(offset) of a \(self.source.identity.size)-byte file"))
                }
                self.accepted += 1
                if self.firstOffset == nil { self.firstOffset = offset }
                self.noteVerified(offset)
                self.verified = offset
            case .refuse(let refusal):
                return .finished(.refused(refusal))
            case let other:
                throw TransferProtocolError.unexpected(other.type, expecting: "ACCEPT or REFUSE")
            }
            var position = self.verified
            while position < self.source.identity.size {
                // At most `window` bytes beyond the receiver's verified offset: what a reset throws away.
                while position - min(position, self.verified) >= UInt64(self.configuration.window) {
                    if let end = self.handle(try reader.next()) { return end }
                }
                let length = Int(min(UInt64(self.chunkSizer.current), self.source.identity.size - position))
                let data = UnsafeMutableRawBufferPointer(rebasing: self.buffer[..<length])
                try self.source.read(into: data, at: position)
                let head = ChunkHeader(offset: position, data: UnsafeRawBufferPointer(data)).encodedFrameHead(dataLength: length)
                try socket.send(head, body: UnsafeRawBufferPointer(data))
                position += UInt64(length)
                self.bytesSent += UInt64(length)
                while let message = try reader.nextWithoutWaiting() {
                    if let end = self.handle(message) { return end }
                }
            }
            let digest = try self.source.sha256()
            try socket.send(TransferMessage.done(digest).encoded())
            // The receiver answers once its own hashing has caught up, which after a restart of the receiver
            // includes the whole partial file: wait as long as the give-up time allows.
            socket.setTimeouts(seconds: self.configuration.giveUpAfter)
            while true {
                if let end = self.handle(try reader.next()) { return end }
            }
        } catch let error as SteadyError {
            return .lost(error)
        } catch let error as SourceFile.OpenError {
            return .finished(.sourceChanged(error.description))
        } catch {
            return .lost(SteadyError(.protocolViolation, detail: "\(error)"))
        }
    }

    /// Handles a message arriving while chunks go out or after DONE; returns an ending when there is one.
    private mutating func handle(_ message: TransferMessage) -> ConnectionEnd? {
        switch message {
        case .ack(let offset):
            self.noteVerified(offset)
            return nil
        case .verified:
            self.noteVerified(self.source.identity.size)
            guard self.source.isUnchanged else {
                return .finished(.sourceChanged("its size or modification time changed"))
            }
            return .finished(.verified)
        case .mismatch(let receiverDigest):
            guard self.source.isUnchanged else {
                return .finished(.sourceChanged("its size or modification time changed"))
            }
            return self.restarts == 0 ? .restartFromZero : .finished(.verificationFailed(receiver: receiverDigest))
        case .refuse(let refusal):
            return .finished(.refused(refusal))
        case .offer, .accept, .chunk, .done:
            return .lost(SteadyError(.protocolViolation, detail: "the receiver sent an unexpected \(message.type) frame"))
        }
    }

    private mutating func noteVerified(_ offset: UInt64) {
        if offset > self.verified {
            self.verified = offset
            self.lastProgress = self.now
        }
        self.progress(FileSender.Progress(verified: self.verified, total: self.source.identity.size, resumes: self.resumes, elapsed: self.now))
    }

    private func summary(_ outcome: SendSummary.Outcome) -> SendSummary {
        SendSummary(
            name: self.configuration.name, size: self.source.identity.size,
            sha256: outcome == .verified ? try? self.source.sha256() : nil, seconds: self.now,
            bytesSent: self.bytesSent, resumes: self.resumes, restarts: self.restarts,
            firstOffset: self.firstOffset ?? 0, outcome: outcome)
    }
}

/// Reads the receiver's replies from a socket: blocking, or only what has already arrived.
private struct FrameReader {
    let socket: TransferSocket
    private var parser = TransferFrameParser()
    private var scratch = [UInt8](repeating: 0, count: 1 << 16)

    init(socket: TransferSocket) {
        self.socket = socket
    }

    mutating func next() throws -> TransferMessage {
        while true {
            if let message = try self.parser.next() { return message }
            let count = try self.scratch.withUnsafeMutableBytes { (raw) throws(SteadyError) in try self.socket.receive(into: raw) }
            guard count > 0 else { throw SteadyError(.closed, detail: "the receiver closed the connection") }
            self.parser.append(self.scratch[..<count])
        }
    }

    mutating func nextWithoutWaiting() throws -> TransferMessage? {
        if let message = try self.parser.next() { return message }
        let received = try self.scratch.withUnsafeMutableBytes { (raw) throws(SteadyError) in try self.socket.receiveWithoutWaiting(into: raw) }
        guard let count = received else { return nil }
        guard count > 0 else { throw SteadyError(.closed, detail: "the receiver closed the connection") }
        self.parser.append(self.scratch[..<count])
        return try self.parser.next()
    }
}
