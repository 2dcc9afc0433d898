"""Drives a ResetLab proxy API with the unmodified toxiproxy-python client from PyPI.

Usage: toxiproxy_python_client.py API_PORT ECHO_PORT

ECHO_PORT is a TCP echo server on 127.0.0.1. Prints OK and exits 0 when every step behaved as with
Toxiproxy; otherwise prints the failed step and exits 1. Everything it creates is destroyed at the end.
"""
import socket
import sys
import time

from toxiproxy import Toxiproxy
from toxiproxy.exceptions import InvalidToxic


def check(condition, message):
    if not condition:
        print("FAIL: " + message)
        sys.exit(1)


def round_trip(port, payload=b"ping"):
    """Sends payload through the proxy to the echo server; returns (reply, seconds)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        start = time.monotonic()
        client.sendall(payload)
        reply = b""
        while len(reply) < len(payload):
            chunk = client.recv(len(payload) - len(reply))
            if not chunk:
                break
            reply += chunk
        return reply, time.monotonic() - start


def main():
    api_port, echo_port = int(sys.argv[1]), int(sys.argv[2])
    server = Toxiproxy()
    server.update_api_consumer("127.0.0.1", api_port)
    check(server.running(), "the API does not accept connections")
    check(b"version" in server.version(), "GET /version: %r" % server.version())

    upstream = "127.0.0.1:%d" % echo_port
    proxy = server.create(upstream=upstream, name="py_echo", listen="127.0.0.1:0")
    host, port = proxy.listen.rsplit(":", 1)
    port = int(port)
    check(host == "127.0.0.1" and port != 0, "listen address not resolved: " + proxy.listen)
    check(round_trip(port)[0] == b"ping", "no echo through the new proxy")

    proxies = server.proxies()
    check(list(proxies) == ["py_echo"], "proxies listed: %r" % list(proxies))
    check(proxies["py_echo"].upstream == upstream and proxies["py_echo"].enabled is True, "proxy fields")

    proxy.add_toxic(type="latency", attributes={"latency": 200})
    toxics = proxy.toxics()
    check("latency_downstream" in toxics, "latency toxic not listed: %r" % list(toxics))
    latency = toxics["latency_downstream"]
    check(latency.type == "latency" and latency.stream == "downstream", "latency toxic fields")
    check(latency.attributes.get("latency") == 200, "latency attributes: %r" % latency.attributes)
    reply, seconds = round_trip(port)
    check(reply == b"ping" and seconds >= 0.2, "round trip with 200 ms latency took %.3f s" % seconds)

    proxy.add_toxic(name="reset", type="reset_peer", attributes={"timeout": 100})
    check(set(proxy.toxics()) == {"latency_downstream", "reset"}, "toxics: %r" % list(proxy.toxics()))
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"x")
            check(False, "reset_peer: expected a reset, got %r" % client.recv(10))
    except ConnectionResetError:
        pass
    except socket.timeout:
        check(False, "reset_peer: no reset within 5 s")

    try:
        proxy.add_toxic(type="bandwidth", attributes={"rate": -1})
        check(False, "a negative bandwidth rate was accepted")
    except InvalidToxic:
        pass

    check(proxy.destroy_toxic("reset"), "destroy_toxic(reset)")
    check(proxy.destroy_toxic("latency_downstream"), "destroy_toxic(latency_downstream)")
    check(proxy.toxics() == {}, "toxics left: %r" % list(proxy.toxics()))

    with proxy.down():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            check(False, "a disabled proxy accepted a connection")
        except ConnectionRefusedError:
            pass
    check(round_trip(port)[0] == b"ping", "no echo after the proxy came back up")

    check(server.destroy(proxy), "destroy(proxy)")
    check(server.proxies() == {}, "proxies left: %r" % list(server.proxies()))
    print("OK")


if __name__ == "__main__":
    main()
