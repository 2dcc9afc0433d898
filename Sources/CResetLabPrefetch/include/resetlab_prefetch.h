// A cache prefetch hint for the capture reader: it walks mapped files whose records it cannot find before
// reading the previous one's length, so without a hint each record header would stall on memory.
#ifndef RESETLAB_PREFETCH_H
#define RESETLAB_PREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for one read (streamed data: a packet's
/// headers), without waiting for it.
static inline void rl_prefetch_once(const void *address) {
    __builtin_prefetch(address, 0, 0);
}

#endif
