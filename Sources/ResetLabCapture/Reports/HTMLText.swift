/// Text made safe to place in an HTML document, between tags or inside a quoted attribute value.
package enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references.
    package static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
