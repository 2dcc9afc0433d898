/// A toxic that does nothing: every chunk is forwarded at once and the end of the stream passes through.
///
/// Toxiproxy's `noop` type, and also what a connection gets instead of a toxic when the toxicity roll
/// says the toxic does not apply to it (see ``ToxicDefinition/makeStage(random:)``). Everything comes
/// from ``ToxicStage``'s default implementations.
public struct NoopToxic: ToxicStage {
    public init() {}
}
