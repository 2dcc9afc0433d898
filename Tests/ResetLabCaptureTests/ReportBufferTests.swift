import Testing

@testable import ResetLabCapture

/// The byte buffer the line-per-connection formats write their fields into.
@Suite struct ReportBufferTests {
    static func text(_ write: (inout ReportBuffer) -> Void) -> String {
        var buffer = ReportBuffer(capacity: 0)
        write(&buffer)
        return buffer.take()
    }

    @Test(arguments: [
        (0, "0"), (7, "7"), (10, "10"), (-5, "-5"), (1_000_000, "1000000"),
        (Int.max, "9223372036854775807"), (Int.min, "-9223372036854775808"),
    ])
    func decimals(_ value: Int, _ expected: String) {
        #expect(Self.text { $0.append(decimal: value) } == expected)
    }

    @Test(arguments: [
        (Int64(0), "0.000000"), (1_764_051_677_862_451_999, "1764051677.862451"), (-1_500_000, "-0.001500"),
        (Int64.max, "9223372036.854775"), (999, "0.000000"),
    ])
    func seconds(_ nanoseconds: Int64, _ expected: String) {
        #expect(Self.text { $0.append(seconds: nanoseconds) } == expected)
    }

    @Test func addressesAndText() {
        let text = Self.text { buffer in
            buffer.append(address: IPAddress(ipv4: 0))
            buffer.append(byte: UInt8(ascii: " "))
            buffer.append(address: IPAddress(ipv4: 0xffff_ffff))
            buffer.append(byte: UInt8(ascii: " "))
            buffer.append(address: IPAddress(high: 0x2001_0db8_0000_0000, low: 5, isIPv6: true))
            buffer.append("")
            buffer.append(" café")
        }
        #expect(text == "0.0.0.0 255.255.255.255 2001:db8::5 café")
    }

    @Test func growsBeyondItsCapacityAndEmptiesWhenTaken() {
        var buffer = ReportBuffer(capacity: 0)
        for index in 0..<10_000 { buffer.append(decimal: index % 10) }
        let count = buffer.count
        #expect(count == 10_000)
        let text = buffer.take()
        #expect(text.count == 10_000)
        #expect(text.hasPrefix("0123456789"))
        let emptied = buffer.isEmpty
        #expect(emptied)
        buffer.append("again")
        #expect(buffer.take() == "again")
    }
}
