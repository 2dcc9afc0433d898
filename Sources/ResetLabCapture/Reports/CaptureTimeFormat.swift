/// Times and durations as the reports print them.
public enum CaptureTimeFormat {
    /// `2026-11-25 06:21:17.862451` (UTC, microseconds).
    public static func utc(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        let micros = (nanoseconds - seconds * 1_000_000_000) / 1_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = self.civilDate(daysSinceEpoch: days)
        return "\(year)-\(self.pad(month, 2))-\(self.pad(day, 2)) \(self.pad(secondOfDay / 3_600, 2)):"
            + "\(self.pad(secondOfDay / 60 % 60, 2)):\(self.pad(secondOfDay % 60, 2)).\(self.pad(micros, 6))"
    }

    /// Seconds with microseconds, as Zeek writes `ts` and `duration`: `1764051677.862451`.
    public static func seconds(_ nanoseconds: Int64) -> String {
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        let text = "\(magnitude / 1_000_000_000).\(self.pad(Int64(magnitude % 1_000_000_000 / 1_000), 6))"
        return negative ? "-" + text : text
    }

    /// A short human duration: `850 µs`, `12.3 ms`, `4.05 s`, `3 min 20 s`.
    public static func duration(_ nanoseconds: Int64) -> String {
        let value = Double(nanoseconds)
        switch nanoseconds {
        case ..<1_000_000: return "\(Int((value / 1_000).rounded())) µs"
        case ..<1_000_000_000: return "\(self.decimals(value / 1e6)) ms"
        case ..<120_000_000_000: return "\(self.decimals(value / 1e9)) s"
        default:
            let total = nanoseconds / 1_000_000_000
            return "\(total / 60) min \(total % 60) s"
        }
    }

    /// Three significant digits at most.
    static func decimals(_ value: Double) -> String {
        let places = value < 10 ? 2 : (value < 100 ? 1 : 0)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if places == 0 { return String(Int(rounded)) }
        let whole = Int(rounded)
        let fraction = Int(((rounded - Double(whole)) * scale).rounded())
        var digits = String(fraction)
        while digits.count < places { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits.isEmpty ? String(whole) : "\(whole).\(digits)"
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        let missing = width - text.utf8.count
        return missing > 0 ? String(repeating: "0", count: missing) + text : text
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (era arithmetic over 400-year cycles).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468  // days from 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
