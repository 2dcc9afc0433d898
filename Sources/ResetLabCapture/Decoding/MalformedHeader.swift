/// What is wrong with a frame's headers. Plain values only, so that a decoded packet stays trivially
/// copyable on the per-packet path; the words are made only when a report shows them.
public enum MalformedHeader: Sendable, Hashable, CustomStringConvertible {
    /// A link-layer header shorter than its fixed length.
    case linkHeaderCutShort(LinkHeader, captured: Int)
    case vlanTagCutShort
    case mplsLabelStackCutShort
    case noIPHeaderAfterLinkHeader
    /// The version nibble says `found` where the link layer announced IPv`expected`.
    case ipVersionMismatch(found: UInt8, expected: UInt8)
    case ipv4HeaderCutShort(captured: Int)
    case ipv4HeaderLengthTooSmall(Int)
    case ipv4TotalLengthBelowHeader(totalLength: Int, headerLength: Int)
    case ipv6HeaderCutShort(captured: Int)
    case ipv6ExtensionHeaderCutShort
    case ipv6ExtensionHeadersPastPayload
    case ipv6ExtensionChainTooLong
    case tcpHeaderCutShort(captured: Int)
    case tcpDataOffsetTooSmall(Int)
    case tcpHeaderExceedsIPPayload(headerLength: Int, payload: Int)

    public var description: String {
        switch self {
        case .linkHeaderCutShort(let header, let captured):
            "\(header.name) header cut short (\(captured) of \(header.length) bytes)"
        case .vlanTagCutShort: "VLAN tag cut short"
        case .mplsLabelStackCutShort: "MPLS label stack cut short"
        case .noIPHeaderAfterLinkHeader: "no IP header after the link header"
        case .ipVersionMismatch(let found, let expected): "IP version \(found) where IPv\(expected) was expected"
        case .ipv4HeaderCutShort(let captured): "IPv4 header cut short (\(captured) of 20 bytes)"
        case .ipv4HeaderLengthTooSmall(let length): "IPv4 header length \(length) is below 20 bytes"
        case .ipv4TotalLengthBelowHeader(let total, let header):
            "IPv4 total length \(total) is below its header length \(header)"
        case .ipv6HeaderCutShort(let captured): "IPv6 header cut short (\(captured) of 40 bytes)"
        case .ipv6ExtensionHeaderCutShort: "IPv6 extension header cut short"
        case .ipv6ExtensionHeadersPastPayload: "IPv6 extension headers run past the payload length"
        case .ipv6ExtensionChainTooLong: "IPv6 extension header chain is longer than 16 headers"
        case .tcpHeaderCutShort(let captured):
            "TCP header cut short (\(captured) of 20 bytes captured; snap length too small?)"
        case .tcpDataOffsetTooSmall(let length): "TCP data offset \(length) is below 20 bytes"
        case .tcpHeaderExceedsIPPayload(let header, let payload):
            "TCP header length \(header) exceeds the IP payload of \(payload) bytes"
        }
    }

    /// The link-layer headers of fixed length.
    public enum LinkHeader: Sendable, Hashable {
        case ethernet, linuxCooked, linuxCookedV2, loopback

        var name: String {
            switch self {
            case .ethernet: "Ethernet"
            case .linuxCooked: "Linux cooked"
            case .linuxCookedV2: "Linux cooked v2"
            case .loopback: "loopback"
            }
        }

        /// The header's length in bytes.
        public var length: Int {
            switch self {
            case .ethernet: 14
            case .linuxCooked: 16
            case .linuxCookedV2: 20
            case .loopback: 4
            }
        }
    }
}
