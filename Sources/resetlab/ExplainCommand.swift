import ArgumentParser
import ResetLabCatalog
import ResetLabExplain

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `resetlab explain`: decode any error number, name, message or log line.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an error number, name, message or whole log line from any platform.",
        discussion: """
            Accepts anything you can paste:
              resetlab explain 10054              Winsock number
              resetlab explain 104                errno (Linux; 54 on macOS)
              resetlab explain 0x800CCC0E         Outlook/Windows Mail HRESULT
              resetlab explain -2146644978        the same HRESULT, signed
              resetlab explain WSAECONNABORTED    any symbolic name
              resetlab explain SocketError.ConnectionReset
              resetlab explain "curl: (56) Recv failure: Connection reset"
              journalctl -u app | resetlab explain -

            A number that means different things on different platforms
            lists every reading, most likely first; --platform keeps one
            platform's readings. Each reading gives the names and numbers on
            every platform, what happened on the wire and who acted, the
            likely causes (most likely first), how to confirm them, and how
            to fix or avoid the problem.

            Exit status: 0 when something matched; 1 when nothing did (the
            nearest known names are suggested); 64 for a usage error.
            """
    )

    @Argument(
        parsing: .allUnrecognized,
        help: "The error to explain. Several words are joined with spaces; '-' reads standard input."
    )
    var input: [String] = []

    @Option(help: "Keep only readings for this platform: windows, linux, macos or freebsd.")
    var platform: Platform?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Show every reading in full, not only the three most likely.")
    var all = false

    func validate() throws {
        // Negative numbers (signed HRESULTs, libuv's -104) are input; anything else before '--' that looks like
        // an option is a typo.
        let beforeTerminator = self.input.prefix { $0 != "--" }
        if let option = beforeTerminator.first(where: { $0.hasPrefix("-") && $0 != "-" && Int64($0) == nil }) {
            throw ValidationError("Unknown option '\(option)'. To explain text that starts with '-', put '--' before it.")
        }
    }

    /// The input words, without the first `--` (everything after it is taken literally).
    private var words: [String] {
        guard let terminator = self.input.firstIndex(of: "--") else { return self.input }
        var words = self.input
        words.remove(at: terminator)
        return words
    }

    func run() throws {
        let catalog: Catalog
        do {
            catalog = try Catalog.embedded()
        } catch {
            throw ValidationError("the built-in catalog is damaged: \(error)")
        }
        let explanation = Explainer(catalog: catalog).explain(self.readInput(), platform: self.platform)
        if self.json {
            print(JSONReport().render(explanation), terminator: "")
        } else {
            print(TextReport(fullMatchLimit: self.all ? nil : 3).render(explanation), terminator: "")
        }
        if explanation.matches.isEmpty {
            throw ExitCode(1)
        }
    }

    /// The arguments joined with spaces, or standard input for `-` (or no argument when input is piped).
    private func readInput() -> String {
        let fromStandardInput = self.words == ["-"] || (self.words.isEmpty && isatty(STDIN_FILENO) == 0)
        guard fromStandardInput else { return self.words.joined(separator: " ") }
        var text = ""
        while text.utf8.count < Explainer.maximumInputBytes, let line = readLine(strippingNewline: false) {
            text += line
        }
        return text
    }
}

extension Platform: ExpressibleByArgument {}
