/// A problem in a catalog file, with the place it was found.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The catalog file's name, e.g. `core.catalog`.
    public var file: String
    /// The 1-based line number, or 0 when the problem concerns a whole stanza or the whole catalog.
    public var line: Int
    /// What is wrong, in words a catalog editor can act on.
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        self.line > 0 ? "\(self.file):\(self.line): \(self.message)" : "\(self.file): \(self.message)"
    }
}
