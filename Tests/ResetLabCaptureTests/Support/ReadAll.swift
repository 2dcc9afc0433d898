@testable import ResetLabCapture

/// One frame as the reader handed it out, copied so that it outlives the callback.
struct ReadFrame: Equatable {
    var index: Int
    var timestamp: Int64
    var linkType: LinkType
    var bytes: [UInt8]
    var originalLength: Int
    var interface: Int
    var fileOffset: Int
    var packet: DecodedPacket
}

/// Reads every frame of `bytes`, handed out by a source that returns at most `chunk` bytes per read.
/// Returns the frames and the error that stopped the reading, if any.
func readAll(_ bytes: [UInt8], chunk: Int = .max, chunkSize: Int = 1 << 20) -> (frames: [ReadFrame], error: CaptureReadError?) {
    var reader = CaptureReader(source: BytesSource(bytes, maximumChunk: chunk), chunkSize: chunkSize)
    var frames: [ReadFrame] = []
    do {
        try reader.readFrames { frame in
            frames.append(ReadFrame(
                index: frame.index, timestamp: frame.timestamp, linkType: frame.linkType, bytes: Array(frame.bytes),
                originalLength: frame.originalLength, interface: frame.interface, fileOffset: frame.fileOffset,
                packet: PacketDecoder.decode(frame)))
        }
        return (frames, nil)
    } catch let error as CaptureReadError {
        return (frames, error)
    } catch {
        Issue.record("unexpected error \(error)")
        return (frames, nil)
    }
}

/// Decodes one frame of `linkType`.
func decode(_ bytes: [UInt8], linkType: LinkType, index: Int = 1) -> DecodedPacket {
    bytes.withUnsafeBytes { raw in
        PacketDecoder.decode(CapturedFrame(
            index: index, timestamp: 0, linkType: linkType, bytes: raw, originalLength: bytes.count, interface: 0,
            fileOffset: 0))
    }
}

extension DecodedPacket {
    var segment: TCPSegment? {
        if case .tcp(let segment) = self { return segment }
        return nil
    }
}

import Testing
