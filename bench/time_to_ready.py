#!/usr/bin/env python3
"""Prints the seconds from a replica's launch to its first 200 on /actuator/health/readiness.

    bench/time_to_ready.py PID_FILE PORT_FILE [TIMEOUT_SECONDS]

Started before infra/local/cluster.sh launches the replica: waits for the script's port file (written
before the launch) and pid file (written right after it), then polls readiness every 5 ms. The start is
the kernel's start time of that pid, the shell that cluster.sh forks and that becomes the JVM by exec, so
the figure covers the whole launch: JVM start, the application context, the first catch-up.
"""
import http.client
import os
import sys
import time


def read_when_written(path, deadline):
    while time.monotonic() < deadline:
        try:
            with open(path) as text:
                value = text.read().strip()
            if value.isdigit():
                return int(value)
        except FileNotFoundError:
            pass
        time.sleep(0.005)
    sys.exit(f"{path} was not written in time")


def started_since_boot(pid):
    with open(f"/proc/{pid}/stat") as stat:
        # field 22, counted after the command name, which may itself contain spaces and parentheses
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[19]) / os.sysconf("SC_CLK_TCK")


def readiness(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/actuator/health/readiness")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def main():
    pid_file, port_file = sys.argv[1:3]
    deadline = time.monotonic() + float(sys.argv[3] if len(sys.argv) > 3 else 90)
    port = read_when_written(port_file, deadline)
    pid = read_when_written(pid_file, deadline)
    started = started_since_boot(pid)
    while time.monotonic() < deadline:
        if readiness(port) == 200:
            print(f"{time.clock_gettime(time.CLOCK_BOOTTIME) - started:.2f}")
            return
        time.sleep(0.005)
    sys.exit(f"pid {pid} was not ready on port {port} in time")


if __name__ == "__main__":
    main()
