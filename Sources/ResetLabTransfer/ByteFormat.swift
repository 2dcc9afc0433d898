/// Human figures for sizes, rates and durations (decimal units: 1 MB = 1,000,000 bytes).
public enum ByteFormat {
    /// `"512 B"`, `"1.5 kB"`, `"10.0 MB"`, `"1.07 GB"`.
    public static func size(_ bytes: UInt64) -> String {
        let value = Double(bytes)
        switch value {
        case ..<1_000: return "\(bytes) B"
        case ..<1_000_000: return Self.decimal(value / 1e3) + " kB"
        case ..<1_000_000_000: return Self.decimal(value / 1e6) + " MB"
        default: return Self.decimal(value / 1e9, places: 2) + " GB"
        }
    }

    /// `"850 MB/s"`-style throughput.
    public static func rate(_ bytesPerSecond: Double) -> String {
        guard bytesPerSecond.isFinite, bytesPerSecond >= 0 else { return "-- B/s" }
        return Self.size(UInt64(bytesPerSecond.rounded())) + "/s"
    }

    /// `"0:07"`, `"12:03"`, `"1:02:03"`; `"--:--"` when unknown.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0, seconds < 360_000 else { return "--:--" }
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        let twoDigits = rest < 10 ? "0\(rest)" : "\(rest)"
        if hours > 0 { return "\(hours):" + (minutes < 10 ? "0\(minutes)" : "\(minutes)") + ":" + twoDigits }
        return "\(minutes):" + twoDigits
    }

    /// `value` with `places` decimals (rounded), without Foundation.
    static func decimal(_ value: Double, places: Int = 1) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((value * scale).rounded())
        let whole = scaled / Int64(scale)
        let fraction = String(scaled % Int64(scale))
        return "\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}
