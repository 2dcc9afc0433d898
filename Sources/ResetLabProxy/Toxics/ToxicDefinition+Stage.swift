extension ToxicDefinition {
    /// Makes this toxic's state machine for one new connection (or for a live connection the toxic was
    /// just added to).
    ///
    /// Toxicity is rolled once, here: when `random.nextUnit() >= toxicity` the connection gets a
    /// ``NoopToxic`` instead. The roll always consumes one value, then stages that need randomness seed
    /// their own generator from `random`. Proxy-wide kinds (``ToxicKind/isProxyWide``) also give a
    /// ``NoopToxic``: they act on the listener, through ``CrashRestartFault`` and ``ConnectionLimitFault``.
    public func makeStage(random: inout some RandomSource) -> any ToxicStage {
        guard random.nextUnit() < self.toxicity else { return NoopToxic() }
        switch self.kind {
        case .latency:
            return LatencyToxic(latency: self.value("latency"), jitter: self.value("jitter"), random: &random)
        case .bandwidth:
            return BandwidthToxic(rate: self.value("rate"))
        case .slowClose:
            return SlowCloseToxic(delay: self.value("delay"))
        case .timeout:
            return TimeoutToxic(timeout: self.value("timeout"))
        case .resetPeer:
            return ResetPeerToxic(timeout: self.value("timeout"))
        case .slicer:
            return SlicerToxic(
                averageSize: self.value("average_size"),
                sizeVariation: self.value("size_variation"),
                delay: self.value("delay"),
                random: &random
            )
        case .limitData:
            return ByteLimitToxic(bytes: self.value("bytes"), ending: .close)
        case .noop, .crashRestart, .maxConnections:
            return NoopToxic()
        case .halfCloseReset:
            return HalfCloseResetToxic(delay: self.value("delay"))
        case .idleReset:
            return IdleToxic(idle: self.value("idle"), expiry: .reset)
        case .idleDrop:
            return IdleToxic(idle: self.value("idle"), expiry: .drop)
        case .resetAfterBytes:
            return ByteLimitToxic(bytes: self.value("bytes"), ending: .reset)
        }
    }
}
