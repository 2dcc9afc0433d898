import ResetLabCapture
import Testing

@Suite struct HTMLTextTests {
    @Test func everyCharacterThatEndsTextOrAnAttributeIsReplaced() {
        #expect(HTMLText.escaped("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
    }

    @Test func otherTextIsKeptAsItIs() {
        #expect(HTMLText.escaped("10.0.0.1:443 → 192.0.2.7 µs ✓") == "10.0.0.1:443 → 192.0.2.7 µs ✓")
        #expect(HTMLText.escaped("") == "")
    }
}
