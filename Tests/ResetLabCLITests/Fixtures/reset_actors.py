"""Makes the kernel send one kind of RST on loopback, between two processes named rl-server and rl-client.

Usage: reset_actors.py SCENARIO [PORT]
PORT (refused only): connect there instead of to a port of its own, so that a watcher can filter on it.
Prints one JSON object: the server's and client's pids, the server port, the client's port and what the
client's last call got. The connection lives for a second before the reset, so that a watcher has time to
learn who holds it (a real connection that ends in a reset usually lived much longer).

Scenarios and the reason the kernel gives (kernel 6.18):
  refused    connect to a bound port nobody listens on                      NO_SOCKET
  unread     the server closes with data it has not read                     TCP_ABORT_ON_CLOSE
  linger     the server sets SO_LINGER {1, 0} and closes                     TCP_STATE
  timewait   the server closes gracefully, then the client writes           TCP_TIMEWAIT_SOCKET
  shutdown   the server shuts down both ways (keeps the socket), client writes TCP_ABORT_ON_DATA
  keepalive  keepalive 1 s x 2 probes while nft drops the probes (run it in a
             network namespace of its own: it adds an nft table there)      TCP_KEEPALIVE_TIMEOUT
"""
import json
import os
import socket
import struct
import subprocess
import sys
import time

LIVES = 1.0


def name(text):
    with open("/proc/self/comm", "w") as comm:
        comm.write(text)


def wait(fd):
    os.read(fd, 1)


def signal(fd):
    os.write(fd, b"x")


def outcome(call):
    try:
        return repr(call())
    except OSError as error:
        import errno
        return errno.errorcode.get(error.errno, str(error.errno))


def main():
    scenario = sys.argv[1]
    listener = socket.socket()
    if len(sys.argv) > 2:
        if scenario != "refused":
            sys.exit("a port can only be given to the refused scenario")
        port = int(sys.argv[2])
    else:
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
    if scenario != "refused":
        listener.listen()
    to_client_r, to_client_w = os.pipe()
    to_server_r, to_server_w = os.pipe()
    results_r, results_w = os.pipe()
    child = os.fork()
    if child == 0:
        name("rl-client")
        client = socket.socket()
        if scenario == "keepalive":
            client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 2)
        result = outcome(lambda: client.connect(("127.0.0.1", port)))
        local_port = client.getsockname()[1]
        if scenario != "refused":
            signal(to_server_w)  # connected
            wait(to_client_r)  # the server has accepted and the connection has lived
            if scenario == "unread":
                client.sendall(b"unread")
                signal(to_server_w)
                wait(to_client_r)  # closed
                result = outcome(lambda: client.recv(10))
            elif scenario in ("linger",):
                result = outcome(lambda: client.recv(10))
            elif scenario in ("timewait", "shutdown"):
                wait(to_client_r)  # the server closed or shut down
                time.sleep(0.05)  # its FIN has arrived
                client.send(b"late")
                time.sleep(0.05)  # the RST has arrived
                result = outcome(lambda: client.recv(10))
                signal(to_server_w)
            elif scenario == "keepalive":
                result = outcome(lambda: client.recv(10))
        os.write(results_w, json.dumps({"result": result, "clientPort": local_port}).encode())
        os._exit(0)
    name("rl-server")
    if scenario != "refused":
        wait(to_server_r)
        accepted, _ = listener.accept()
        time.sleep(LIVES)
        if scenario == "unread":
            signal(to_client_w)
            wait(to_server_r)  # the data was sent (on loopback it is in our receive queue)
            accepted.close()
            signal(to_client_w)
        elif scenario == "linger":
            accepted.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            signal(to_client_w)
            accepted.close()
        elif scenario in ("timewait", "shutdown"):
            signal(to_client_w)
            if scenario == "timewait":
                accepted.close()
            else:
                accepted.shutdown(socket.SHUT_RDWR)
            signal(to_client_w)
            wait(to_server_r)
        elif scenario == "keepalive":
            rule = "add table inet resetlab_keepalive; add chain inet resetlab_keepalive input { type filter hook input priority 0; }; add rule inet resetlab_keepalive input tcp dport %d drop" % port
            subprocess.run(["nft", rule], check=True)
            signal(to_client_w)
    _, status = os.waitpid(child, 0)
    reply = json.loads(os.read(results_r, 4096))
    print(json.dumps({"server": os.getpid(), "client": child, "port": port, "clientPort": reply["clientPort"], "clientResult": reply["result"]}))


main()
