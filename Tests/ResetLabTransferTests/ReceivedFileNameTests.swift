import Testing

@testable import ResetLabTransfer

@Suite struct ReceivedFileNameTests {
    @Test(arguments: ["report.pdf", ".hidden", "a", "with space.txt", "naïve-日本.bin", "..dots..", String(repeating: "x", count: 200)])
    func acceptsPlainNames(_ name: String) throws {
        let accepted = try ReceivedFileName(validating: name)
        #expect(accepted.partialName == name + ".part")
        #expect(accepted.stateName == name + ".part.state")
    }

    @Test(arguments: [
        ("", FileNameError.empty),
        (".", .dotName(".")),
        ("..", .dotName("..")),
        ("/", .pathSeparator("/")),
        ("../etc/passwd", .pathSeparator("/")),
        ("/etc/passwd", .pathSeparator("/")),
        ("dir/file", .pathSeparator("/")),
        ("..\\windows\\win.ini", .pathSeparator("\\")),
        ("a\u{0}b", .nul),
        ("line\nbreak", .controlCharacter(0x0A)),
        ("bell\u{7}", .controlCharacter(0x07)),
        ("del\u{7F}", .controlCharacter(0x7F)),
        ("csi\u{9B}", .controlCharacter(0x9B)),
        (String(repeating: "x", count: 201), .tooLong(bytes: 201, limit: 200)),
        (String(repeating: "é", count: 101), .tooLong(bytes: 202, limit: 200)),
        ("movie.mkv.part", .reservedSuffix("movie.mkv.part")),
        ("movie.mkv.part.state", .reservedSuffix("movie.mkv.part.state")),
    ])
    func refusesEverythingElse(_ name: String, _ expected: FileNameError) {
        #expect(throws: expected) { try ReceivedFileName(validating: name) }
    }

    @Test func refusalsSayWhatToDo() {
        #expect(FileNameError.pathSeparator("/").description.contains("never a path"))
        #expect(FileNameError.reservedSuffix("x.part").description.contains("rename"))
    }
}
