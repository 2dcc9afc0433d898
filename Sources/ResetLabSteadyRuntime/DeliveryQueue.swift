import NIOConcurrencyHelpers
import NIOCore

/// The bounded hand-over from the event loops (producers) to the application (one consumer), a batch
/// at a time both ways: a producer offers what one read brought, the consumer takes a whole batch.
///
/// What does not fit stays with its producer, which stops reading and is resumed once the queue has
/// drained to half its capacity. Nothing is ever dropped.
final class DeliveryQueue: Sendable {
    private struct State {
        var batches = CircularBuffer<[SteadyMessage]>()
        /// Messages in `batches`.
        var count = 0
        var consumer: CheckedContinuation<[SteadyMessage], Never>?
        var paused: [ObjectIdentifier: SessionCore] = [:]
        var finished = false

        mutating func pop() -> [SteadyMessage] {
            guard let batch = self.batches.popFirst() else { return [] }
            self.count -= batch.count
            return batch
        }
    }

    /// The most messages waiting at once.
    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Offers `messages` from `producer`, in order; returns how many were taken. When not all fit, the
    /// producer keeps the rest, stops reading, and is registered (under the same lock, so no wake-up is
    /// missed) to be told by ``SessionCore/resumeReading()`` when there is room.
    func offer(_ messages: [SteadyMessage], from producer: SessionCore) -> Int {
        let (taken, handOver) = self.state.withLockedValue { state -> (Int, (CheckedContinuation<[SteadyMessage], Never>, [SteadyMessage])?) in
            let taken = min(max(0, self.capacity - state.count), messages.count)
            if taken < messages.count { state.paused[ObjectIdentifier(producer)] = producer }
            guard taken > 0 else { return (0, nil) }
            let batch = taken == messages.count ? messages : Array(messages.prefix(taken))
            if let consumer = state.consumer {
                state.consumer = nil
                return (taken, (consumer, batch))
            }
            state.batches.append(batch)
            state.count += taken
            return (taken, nil)
        }
        if let (consumer, batch) = handOver { consumer.resume(returning: batch) }
        return taken
    }

    /// The next batch of messages in order, waiting for one; empty once finished and drained.
    func take() async -> [SteadyMessage] {
        let ready = self.state.withLockedValue { state -> ([SteadyMessage], [SessionCore])? in
            guard !state.batches.isEmpty || state.finished else { return nil }
            return (state.pop(), self.resumable(&state))
        }
        if let (batch, resumed) = ready {
            for core in resumed { core.resumeReading() }
            return batch
        }
        let batch = await withCheckedContinuation { continuation in
            let ready = self.state.withLockedValue { state -> [SteadyMessage]? in
                if !state.batches.isEmpty || state.finished { return state.pop() }
                state.consumer = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        let resumed = self.state.withLockedValue { self.resumable(&$0) }
        for core in resumed { core.resumeReading() }
        return batch
    }

    private func resumable(_ state: inout State) -> [SessionCore] {
        guard !state.paused.isEmpty, state.count <= self.capacity / 2 else { return [] }
        let cores = Array(state.paused.values)
        state.paused.removeAll()
        return cores
    }

    /// No more messages will come: a waiting consumer gets an empty batch once the queue is empty.
    func finish() {
        let consumer = self.state.withLockedValue { state -> CheckedContinuation<[SteadyMessage], Never>? in
            state.finished = true
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume(returning: [])
    }
}
