#!/usr/bin/env python3
"""K raw pub/sub subscribers on one channel, in one process: they read and discard, and print how many
bytes each received when stopped (SIGTERM/SIGINT). Used by pubsub-fanout.sh as stand-ins for replicas,
so that Redis's side of the fan-out is measured without K JVMs on the machine.

    subscribers.py HOST PORT CHANNEL K
"""
import selectors
import signal
import socket
import sys

host, port, channel, k = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
selector = selectors.DefaultSelector()
received = {}
for i in range(k):
    s = socket.create_connection((host, port))
    s.sendall(f"SUBSCRIBE {channel}\r\n".encode())
    s.setblocking(False)
    selector.register(s, selectors.EVENT_READ, i)
    received[i] = 0
stop = False


def finish(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, finish)
signal.signal(signal.SIGINT, finish)
print("subscribed", flush=True)
while not stop:
    for key, _ in selector.select(timeout=0.2):
        try:
            data = key.fileobj.recv(1 << 20)
        except BlockingIOError:
            continue
        if not data:
            selector.unregister(key.fileobj)
            continue
        received[key.data] += len(data)
print("bytes per subscriber:", " ".join(str(received[i]) for i in range(k)), flush=True)
