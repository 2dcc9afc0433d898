import NIOCore

/// Runs Swift concurrency jobs on one NIO event loop.
///
/// The proxy's control API runs its actors on the API's own loop through this executor, rather than on
/// the global concurrent pool: a process that embeds the server (a test suite, above all) may keep every
/// thread of that pool busy with blocking work, and the API must still answer in milliseconds. Steady
/// offers it so that an application's tasks can run on the loop of their connection: no thread hand-over
/// between the socket and the task, which is most of a request/response round trip.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop every job runs on.
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
