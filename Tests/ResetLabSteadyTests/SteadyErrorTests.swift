import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ResetLabSteady

struct SteadyErrorTests {
    @Test func errnosBecomeKindsWithTheirWinsockEquivalents() {
        let reset = SteadyError(errno: ECONNRESET, during: "read")
        #expect(reset.kind == .reset)
        #expect(reset.errnoName == "ECONNRESET")
        #expect(reset.winsock == "WSAECONNRESET (10054)")
        #expect(reset.description.contains("read: ECONNRESET (104)"))
        #expect(SteadyError(errno: EPIPE, during: "write").winsock == "WSAECONNABORTED (10053)")
        #expect(SteadyError(errno: ETIMEDOUT, during: "read").kind == .timedOut)
        #expect(SteadyError(errno: ECONNREFUSED, during: "connect").winsock == "WSAECONNREFUSED (10061)")
        #expect(SteadyError(errno: EHOSTUNREACH, during: "connect").kind == .unreachable)
        #expect(SteadyError(errno: EINVAL, during: "x").kind == .other)
    }
}
