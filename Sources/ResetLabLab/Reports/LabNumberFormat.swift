/// Formats numbers for the lab's reports without Foundation.
enum LabNumberFormat {
    /// `value` with exactly `decimals` digits after the point ("0.021", "-1.50"); "?" when it is not a
    /// finite number of a printable size.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let decimals = min(max(0, decimals), 9)
        var scale = 1.0
        for _ in 0..<decimals {
            scale *= 10
        }
        let scaled = (abs(value) * scale).rounded()
        guard value.isFinite, scaled < 9e15 else { return "?" }
        let units = Int64(scaled)
        let divisor = Int64(scale)
        let sign = value < 0 && units != 0 ? "-" : ""
        let whole = String(units / divisor)
        guard decimals > 0 else { return sign + whole }
        let fraction = String(units % divisor)
        return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// A time in seconds as the transcripts print it: "+0.021s".
    static func seconds(_ value: Double) -> String {
        let text = Self.fixed(value, decimals: 3)
        return (text.hasPrefix("-") ? "" : "+") + text + "s"
    }

    /// A time in seconds as milliseconds with one decimal: "21.0 ms".
    static func milliseconds(_ value: Double) -> String {
        Self.fixed(value * 1000, decimals: 1) + " ms"
    }

    /// `value` rounded to microseconds, for JSON.
    static func microseconds(_ value: Double) -> Double {
        guard value.isFinite, abs(value) < 9e9 else { return value }
        return (value * 1_000_000).rounded() / 1_000_000
    }
}
