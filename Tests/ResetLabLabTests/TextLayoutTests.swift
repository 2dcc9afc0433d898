import Testing

@testable import ResetLabLab

@Suite struct TextLayoutTests {
    @Test func wrapperKeepsNoBreakGroupsTogether() {
        let nbsp = String(LabTextWrapper.noBreakSpace)
        let text = ["sent\(nbsp)11", "sent\(nbsp)11", "8B"].joined(separator: " ")
        #expect(LabTextWrapper(width: 13).lines(text) == ["sent 11", "sent 11 8B"])
        #expect(LabTextWrapper(width: 5).lines("sent\(nbsp)100") == ["sent", "100"], "split when too long")
    }

    @Test func wrapperBreaksOverlongWordsAfterHyphens() {
        #expect(LabTextWrapper(width: 10).lines("graceful-close-then-write") == ["graceful-", "close-", "then-write"])
        #expect(LabTextWrapper(width: 4).lines("abcdefghij") == ["abcd", "efgh", "ij"])
        #expect(LabTextWrapper(width: 10).lines("") == [""])
        #expect(LabTextWrapper(width: 10).lines("a\nb") == ["a", "b"])
        let wide = LabTextWrapper(width: 20).wrap("one two three four", firstIndent: "- ", indent: "  ")
        #expect(wide == "- one two three four")
        #expect(LabTextWrapper(width: 10).wrap("one two three four", firstIndent: "- ", indent: "  ")
            == "- one two\n  three\n  four")
    }

    @Test func tableShrinksTheWidestWrappingColumn() {
        let table = LabTextTable(
            columns: [LabTextTable.Column("id"), LabTextTable.Column("text", wraps: true, minimumWidth: 4)],
            rows: [["a", "one two three four five six"]],
            width: 16
        )
        #expect(table.columnWidths() == [2, 10], "trimmed to the widest wrapped line")
        #expect(table.lines() == ["id  text", "a   one two", "    three four", "    five six"])
    }

    @Test func numbers() {
        #expect(LabNumberFormat.fixed(0.0214, decimals: 3) == "0.021")
        #expect(LabNumberFormat.fixed(-1.5, decimals: 2) == "-1.50")
        #expect(LabNumberFormat.fixed(-0.0001, decimals: 3) == "0.000")
        #expect(LabNumberFormat.fixed(12, decimals: 0) == "12")
        #expect(LabNumberFormat.fixed(.nan, decimals: 1) == "?")
        #expect(LabNumberFormat.fixed(.infinity, decimals: 1) == "?")
        #expect(LabNumberFormat.fixed(1e300, decimals: 1) == "?")
        #expect(LabNumberFormat.seconds(0.021) == "+0.021s")
        #expect(LabNumberFormat.seconds(12.3456) == "+12.346s")
        #expect(LabNumberFormat.microseconds(0.123_456_789) == 0.123457)
    }
}
