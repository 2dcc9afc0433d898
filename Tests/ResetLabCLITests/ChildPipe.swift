import Foundation

extension Pipe {
    /// A pipe for a child process's standard streams whose ends are closed on exec in any other child.
    ///
    /// Foundation's `Pipe` leaves its descriptors inheritable, and tests run side by side: a fixture server
    /// that another test starts at the same moment can inherit an end and keep it for its whole life. A test
    /// that closes its read end to see the writer fail with EPIPE then waits in vain (a `watch` test did).
    /// The child that the pipe is for still gets its end: it is duplicated onto 0, 1 or 2, which clears the
    /// flag. Only the moment between creating the pipe and setting the flag stays open to a race.
    static func forChild() -> Pipe {
        let pipe = Pipe()
        for handle in [pipe.fileHandleForReading, pipe.fileHandleForWriting] {
            let descriptor = handle.fileDescriptor
            _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
        }
        return pipe
    }
}
