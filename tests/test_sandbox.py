"""The query worker's sandbox on its own: no sockets but Unix ones, and a memory cap that ends it.

Each check runs in a fresh Python process (a seccomp filter cannot be lifted, so never here), as
this user and, where the tests run as root, as an ordinary user too (`setpriv`, util-linux).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.sandbox import MEMORY_EXIT

HOME = Path(__file__).resolve().parent.parent
LOCKED = """
import socket, sys
sys.path.insert(0, {home!r})
from api.sandbox import lock_network
print("lock:", lock_network())
for name, family, kind in [("tcp4", socket.AF_INET, socket.SOCK_STREAM), ("udp4", socket.AF_INET, socket.SOCK_DGRAM),
                           ("tcp6", socket.AF_INET6, socket.SOCK_STREAM), ("packet", socket.AF_PACKET, socket.SOCK_RAW),
                           ("netlink", socket.AF_NETLINK, socket.SOCK_RAW)]:
    try:
        socket.socket(family, kind).close()
        print(name, "open")
    except OSError as exc:
        print(name, "refused", exc.errno)
a, b = socket.socketpair()
a.sendall(b"x"); print("unix", b.recv(1).decode())
"""
EXPECTED = [
    "lock: None",
    "tcp4 refused 13",
    "udp4 refused 13",
    "tcp6 refused 13",
    "packet refused 13",
    "netlink refused 13",
    "unix x",
]


def run_locked(prefix: list[str]) -> list[str]:
    code = LOCKED.format(home=str(HOME))
    done = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="seccomp is Linux's")
def test_a_locked_process_opens_no_socket_but_unix_ones():
    assert run_locked([]) == EXPECTED


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv")
def test_the_lock_holds_for_an_ordinary_user_too():
    assert run_locked(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]) == EXPECTED


def test_the_memory_cap_ends_the_process_with_its_own_exit_code():
    code = f"""
import sys, time
sys.path.insert(0, {str(HOME)!r})
from api.sandbox import watch_memory, resident_bytes
watch_memory(resident_bytes() + 100 * 1024 * 1024)
hold = []
for _ in range(100):  # 1 GB in 10 MB steps, unless the cap ends it first
    hold.append(bytearray(10 * 1024 * 1024))
    time.sleep(0.02)
print("survived")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (MEMORY_EXIT, "")
