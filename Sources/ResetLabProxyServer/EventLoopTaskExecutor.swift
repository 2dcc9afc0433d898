import NIOCore

/// Runs Swift concurrency jobs on one NIO event loop.
///
/// The control API's actors (the model and the engine) run on the API's own loop through this executor
/// rather than on the global concurrent pool. A process that embeds the server (a test suite, above all)
/// may keep every thread of that pool busy with blocking work; the API must still answer in milliseconds.
final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop every job runs on.
    let eventLoop: EventLoop

    init(eventLoop: EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
