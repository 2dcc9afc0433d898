import ResetLabWatch
import Testing

@Suite struct TraceEndpointTests {
    @Test func socketTableBytesReadAsTheKernelPrintsThem() throws {
        #expect(TraceEndpoint(addressBytes: [127, 0, 0, 1], port: 80)?.description == "127.0.0.1:80")
        var loopback = [UInt8](repeating: 0, count: 16)
        loopback[15] = 1
        #expect(TraceEndpoint(addressBytes: loopback, port: 8080)?.description == "[::1]:8080")
        #expect(TraceEndpoint(addressBytes: [UInt8](repeating: 0, count: 16), port: 0)?.description == "[::]:0")
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 5]
        let endpoint = try #require(TraceEndpoint(addressBytes: mapped, port: 25))
        #expect(endpoint.address == "::ffff:10.0.0.5")
        #expect(endpoint.description == "10.0.0.5:25")
        let documentation: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        #expect(TraceEndpoint(addressBytes: documentation, port: 443)?.description == "[2001:db8::1]:443")
        // A single zero group is not shortened (RFC 5952 4.2.2).
        let single: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]
        #expect(TraceEndpoint(addressBytes: single, port: 1)?.host == "2001:db8:0:1:1:1:1:1")
        #expect(TraceEndpoint(addressBytes: [1, 2, 3], port: 1) == nil)
    }

    @Test func mappedAddressesReadAsIPv4() {
        #expect(TraceEndpoint(address: "::ffff:10.0.0.5", port: 25).host == "10.0.0.5")
        #expect(TraceEndpoint(address: "::ffff:10.0.0.5", port: 25).description == "10.0.0.5:25")
        #expect(TraceEndpoint(address: "2001:db8::1", port: 443).host == "2001:db8::1")
    }

    @Test func loopbackIsBothFamilies() {
        #expect(TraceEndpoint(address: "127.0.0.1", port: 1).isLoopback)
        #expect(TraceEndpoint(address: "127.3.2.1", port: 1).isLoopback)
        #expect(TraceEndpoint(address: "::ffff:127.0.0.1", port: 1).isLoopback)
        #expect(TraceEndpoint(address: "::1", port: 1).isLoopback)
        #expect(!TraceEndpoint(address: "10.0.0.1", port: 1).isLoopback)
        #expect(!TraceEndpoint(address: "::2", port: 1).isLoopback)
    }

    @Test func connectionEndsMatchAcrossFamiliesAndReverse() {
        let mapped = ConnectionEnds(local: TraceEndpoint(address: "::ffff:127.0.0.1", port: 5), remote: TraceEndpoint(address: "127.0.0.1", port: 6))
        let plain = ConnectionEnds(local: TraceEndpoint(address: "127.0.0.1", port: 5), remote: TraceEndpoint(address: "127.0.0.1", port: 6))
        #expect(mapped == plain)
        #expect(plain.reversed == ConnectionEnds(local: TraceEndpoint(address: "127.0.0.1", port: 6), remote: TraceEndpoint(address: "127.0.0.1", port: 5)))
        #expect(plain.reversed != plain)
    }
}
