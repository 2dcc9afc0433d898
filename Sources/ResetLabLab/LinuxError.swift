/// An errno value as a Linux system call returned it.
public struct LinuxError: Sendable, Hashable, CustomStringConvertible {
    /// The errno number, e.g. 104.
    public var code: Int32
    /// The symbolic name, e.g. `ECONNRESET`.
    public var name: String

    public init(code: Int32, name: String) {
        self.code = code
        self.name = name
    }

    public var description: String { "\(self.name) (\(self.code))" }
}
