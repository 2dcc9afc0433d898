// Cache prefetch hints for the capture reader, which walks mapped files whose records it cannot find before
// reading the previous one's length, and for the connection tracker, whose next connection is known a few
// packets before it is needed: without a hint each would stall on memory.
#ifndef RESETLAB_PREFETCH_H
#define RESETLAB_PREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for one read (streamed data: a packet's
/// headers), without waiting for it.
static inline void rl_prefetch_once(const void *address) {
    __builtin_prefetch(address, 0, 0);
}

/// Asks the CPU to start loading the cache line at `address`, which is about to be read and written and
/// will stay in use (a connection's state).
static inline void rl_prefetch_for_update(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
