import NIOCore
import NIOPosix
import ResetLabSteady

extension SteadyError {
    /// What an error from NIO (or from the protocol) means for a session; `nil` for the end of a
    /// connection without any error (the peer's FIN).
    static func from(_ error: (any Error)?, during operation: String) -> SteadyError {
        switch error {
        case nil:
            return SteadyError(.closed, detail: "\(operation): the peer closed the connection (FIN) without saying goodbye")
        case let error as SteadyError:
            return error
        case let error as IOError:
            return SteadyError(errno: error.errnoCode, during: operation)
        case let error as NIOConnectionError:
            let inner = error.connectionErrors.first?.error
            if let io = inner as? IOError { return SteadyError(errno: io.errnoCode, during: "connect to \(error.host):\(error.port)") }
            if let dns = error.dnsAAAAError ?? error.dnsAError {
                return SteadyError(.unreachable, detail: "connect to \(error.host): the name did not resolve (\(dns))")
            }
            return SteadyError(.unreachable, detail: "connect to \(error.host):\(error.port): \(inner.map { "\($0)" } ?? "no address")")
        case let error as ChannelError:
            switch error {
            case .connectTimeout(let amount):
                return SteadyError(.timedOut, detail: "connect: no answer within \(amount.nanoseconds / 1_000_000) ms")
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed:
                return SteadyError(.closed, detail: "\(operation): the connection was already closed")
            default:
                return SteadyError(.other, detail: "\(operation): \(error)")
            }
        case let error as SteadyProtocolError:
            return SteadyError(.protocolViolation, detail: error.description)
        case let error as ByteToMessageDecoderError.PayloadTooLargeError:
            return SteadyError(.protocolViolation, detail: "\(operation): \(error)")
        case let error?:
            return SteadyError(.other, detail: "\(operation): \(error)")
        }
    }
}
