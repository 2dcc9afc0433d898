import ArgumentParser

/// `resetlab capture`: how every TCP connection in a capture ended, and who reset it.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Say how every TCP connection in a pcap or pcapng file ended, and who reset it.",
        discussion: """
              resetlab capture trace.pcap              every connection, then a summary
              resetlab capture trace.pcap --only resets
              resetlab capture trace.pcap --format zeek > conn.log
              resetlab capture show trace.pcap --conn 7
                                                       one connection's packets as a
                                                       ladder, and its story in words
              tcpdump -w - -i any port 25 | resetlab capture -
            """,
        subcommands: [CaptureAnalyzeCommand.self, CaptureShowCommand.self],
        defaultSubcommand: CaptureAnalyzeCommand.self
    )
}
