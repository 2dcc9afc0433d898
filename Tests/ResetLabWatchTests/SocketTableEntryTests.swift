import ResetLabWatch
import Testing

@Suite struct SocketTableEntryTests {
    @Test func anIPv4RowGivesItsEndsAndInode() throws {
        let row = "   1: 0100007F:A3FB 0100007F:D2AA 06 00000000:00000000 03:00000A16 00000000     0        0 4242 3 00000000c17740db"
        let entry = try #require(SocketTableEntry(row[...]))
        #expect(entry.local == TraceEndpoint(address: "127.0.0.1", port: 0xA3FB))
        #expect(entry.remote == TraceEndpoint(address: "127.0.0.1", port: 0xD2AA))
        #expect(entry.inode == 4242)
    }

    @Test func ipv6RowsAreReadWordByWord() throws {
        let loopback = "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1 0"
        let entry = try #require(SocketTableEntry(loopback[...]))
        #expect(entry.local.description == "[::1]:8080")
        #expect(entry.remote.description == "[::]:0")
        let mapped = "   1: 0000000000000000FFFF00000100007F:0050 0000000000000000FFFF00000100007F:C000 01 0:0 0:0 0 0 0 78 1 0"
        #expect(try #require(SocketTableEntry(mapped[...])).local.description == "127.0.0.1:80")
        let documentation = "   2: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 79 1 0"
        #expect(try #require(SocketTableEntry(documentation[...])).local.description == "[2001:db8::1]:443")
    }

    @Test func theHeaderAndBrokenRowsAreSkipped() {
        #expect(SocketTableEntry("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"[...]) == nil)
        #expect(SocketTableEntry("   1: 0100007F 0100007F:D2AA 06 0 0 0 0 0 1 1"[...]) == nil)
        #expect(SocketTableEntry("   1: 0100ZZ7F:0001 0100007F:D2AA 06 0 0 0 0 0 1 1"[...]) == nil)
    }
}

@Suite struct TraceEndpointTests {
    @Test func mappedAddressesReadAsIPv4() {
        #expect(TraceEndpoint(address: "::ffff:10.0.0.5", port: 25).host == "10.0.0.5")
        #expect(TraceEndpoint(address: "::ffff:10.0.0.5", port: 25).description == "10.0.0.5:25")
        #expect(TraceEndpoint(address: "2001:db8::1", port: 443).host == "2001:db8::1")
    }
}
