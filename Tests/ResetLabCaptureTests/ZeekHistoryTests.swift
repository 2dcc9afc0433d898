import Testing

@testable import ResetLabCapture

/// The `history` letters as they are added: case by side, the flip mark, long histories.
@Suite struct ZeekHistoryTests {
    @Test func lettersAreUpperForTheOriginatorAndLowerForTheResponder() {
        var history = ZeekHistory()
        history.append("S", isOriginator: true)
        history.append("H", isOriginator: false)
        history.append("A", isOriginator: true)
        history.appendFlip()
        #expect(history.text == "ShA^")
    }

    @Test func aLeadingSynAckFlippedBecomesCaretH() {
        var alone = ZeekHistory()
        alone.append("H", isOriginator: true)
        alone.rewriteLeadingSynAckAfterFlip()
        #expect(alone.text == "^h")
        var more = ZeekHistory()
        more.append("H", isOriginator: true)
        more.append("A", isOriginator: true)
        more.rewriteLeadingSynAckAfterFlip()
        #expect(more.text == "HA^")
    }

    @Test func aLongHistoryKeepsEveryLetterInOrder() {
        var history = ZeekHistory()
        let letters: [Unicode.Scalar] = ["S", "H", "A", "D", "T", "W", "F", "R"]
        var expected = ""
        for index in 0..<40 {
            let letter = letters[index % letters.count]
            let isOriginator = index % 3 != 0
            history.append(letter, isOriginator: isOriginator)
            expected.unicodeScalars.append(isOriginator ? letter : Unicode.Scalar(UInt8(letter.value) | 0x20))
        }
        #expect(history.text == expected)
        #expect(history.text.count == 40)
    }

    @Test func eachSideRecordsAOnceOnlyKindOnce() {
        var history = ZeekHistory()
        let first = history.recordOnce(.data, "D", isOriginator: true)
        let again = history.recordOnce(.data, "D", isOriginator: true)
        let responder = history.recordOnce(.data, "D", isOriginator: false)
        #expect(!first && again && !responder)
        #expect(history.text == "Dd")
    }
}
