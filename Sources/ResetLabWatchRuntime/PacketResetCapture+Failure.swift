import CResetLabLinux
import Glibc

extension PacketResetCapture.Failure {
    /// The message for an errno from `rl_reset_capture_open`, by the step that failed: what is missing and
    /// how to get it.
    init(code: Int32, step: Int32) {
        self.code = code
        let reason = String(cString: strerror(code))
        switch (step, code) {
        case (_, EPERM), (_, EACCES):
            self.description = "capturing resets with AF_PACKET needs root or CAP_NET_RAW (\(reason)): run it with sudo, grant the capability with 'sudo setcap cap_net_raw+ep <path to resetlab>', or in a container add --cap-add NET_RAW"
        case (Int32(RL_RESET_CAPTURE_STEP_SOCKET), EAFNOSUPPORT):
            self.description = "this kernel has no AF_PACKET sockets (\(reason)): load them with 'sudo modprobe af_packet', or use a kernel built with CONFIG_PACKET"
        case (Int32(RL_RESET_CAPTURE_STEP_SOCKET), _):
            self.description = "cannot open an AF_PACKET socket: \(reason)"
        case (Int32(RL_RESET_CAPTURE_STEP_FILTER), _):
            self.description = "the kernel refused the packet filter that keeps only resets (\(reason)): classic BPF socket filters need CONFIG_BPF"
        case (Int32(RL_RESET_CAPTURE_STEP_TIMESTAMPS), _):
            self.description = "cannot turn on packet timestamps (SO_TIMESTAMPNS): \(reason)"
        default:
            self.description = "cannot bind the AF_PACKET socket to every interface: \(reason)"
        }
    }
}
