"""ZeroMQ PUSH/PULL over loopback TCP: N messages of SIZE bytes, receiver in its own process.
Prints the messages per second the receiver saw. The baseline for scripts/bench-steady (ZeroMQ gives
no delivery guarantee: this is an upper bound for a messaging layer, not a like-for-like)."""
import multiprocessing
import sys
import time

import zmq


def receive(port, count, ready, result):
    context = zmq.Context()
    pull = context.socket(zmq.PULL)
    pull.bind(f"tcp://127.0.0.1:{port}")
    ready.set()
    pull.recv()
    started = time.perf_counter()
    for _ in range(count - 1):
        pull.recv(copy=False)
    result.value = time.perf_counter() - started
    pull.close()
    context.term()


def main():
    port, count, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    ready = multiprocessing.Event()
    result = multiprocessing.Value("d", 0.0)
    receiver = multiprocessing.Process(target=receive, args=(port, count, ready, result))
    receiver.start()
    ready.wait()
    context = zmq.Context()
    push = context.socket(zmq.PUSH)
    push.setsockopt(zmq.SNDHWM, 0)
    push.connect(f"tcp://127.0.0.1:{port}")
    payload = b"a" * size
    for _ in range(count):
        push.send(payload, copy=True)
    receiver.join()
    push.close()
    context.term()
    print(f"{(count - 1) / result.value:.0f}")


if __name__ == "__main__":
    main()
