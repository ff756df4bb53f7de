"""Kernels forked from a warm process: each notebook still gets a new kernel process of its
own, without paying the imports again.

A kernel started the usual way spends about 2 s of CPU importing pandas, IPython and the
chapters' modules (matplotlib and seaborn too, before the charts were written as SVG) before
the notebook's first cell runs; a report has six notebooks, so this was the largest cost of a
unit. Here one *fork server* per run
imports all that once (:data:`wres_utils.run.execute.PRELOAD` and ipykernel), and every
kernel is a ``fork()`` of it: a new process, with its own memory (copy on write), its own
working folder, environment, standard streams and sockets, in which nothing has run yet but
imports. No kernel shares state with another: the server itself never starts a kernel, a
thread or an event loop (forking after those would be unsafe).

jupyter_client still thinks it starts a normal kernel: the command it runs is a tiny
*client* (:func:`client`, standard library only) that hands its arguments, working folder,
environment and standard streams to the server, which forks; the client then stands in for
the kernel process: it forwards the signals it receives (interrupt, terminate) to the kernel,
and exits when the kernel exits. When the client is killed (jupyter_client's immediate
shutdown), the kernel sees its connection to the client close and exits at once. When the
run ends, the server is stopped (:meth:`ForkServer.stop`); it also exits if the run's process
dies (its standard input closes).

What differs from a fresh kernel, made the same on purpose: ``MPLBACKEND`` is set to the
inline backend before matplotlib is imported (as ipykernel does when it starts), the random
generators of ``random`` and numpy are reseeded in each kernel, and the working folder is
removed from ``sys.path`` as ``ipykernel_launcher`` does (IPython adds ``''`` back), and
``JPY_PARENT_PID`` (which ipykernel reads at import) is given to the kernel as an argument.

    python -m wres_utils.run.kernelfork serve SOCKET MODULE...   # the server
    python -m wres_utils.run.kernelfork client SOCKET -f CONNECTION_FILE [ARGS...]
"""

from __future__ import annotations

import array
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

#: The inline backend ipykernel selects when it starts (unless MPLBACKEND is set already).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: How long a client waits for the server to accept it (the server may still be importing).
CONNECT_TIMEOUT = 120.0
_MAX_REQUEST = 1 << 20


# ------------------------------------------------------------------------------------------
# The main process's side


class ForkServer:
    """The fork server of one run: started at once, importing while the run goes on.

    :meth:`kernel_cmd` turns a kernel command line (``python -m ipykernel_launcher -f
    FILE ...``) into the client's command line. The server's socket lives in ``folder``.
    """

    def __init__(self, folder: Path, preload: Sequence[str], python: str = sys.executable):
        self.socket_path = str(Path(folder) / "forkserver.sock")
        self.python = python
        self._proc = subprocess.Popen(
            [python, "-m", "wres_utils.run.kernelfork", "serve", self.socket_path, *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=None,
            close_fds=True,
            start_new_session=True,  # a Ctrl-C of the run reaches the run, not the kernels
        )

    def kernel_cmd(self, cmd: Sequence[str]) -> list[str]:
        """The client's command line for the kernel command ``cmd``."""
        args = list(cmd)
        i = args.index("-f") if "-f" in args else len(args)
        client = [self.python, "-m", "wres_utils.run.kernelfork", "client", self.socket_path]
        return client + args[i:]

    def stop(self) -> None:
        """Stop the server (kernels already forked are not its business: they are stopped
        through their clients)."""
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


# ------------------------------------------------------------------------------------------
# The server


def _reap(*_: object) -> None:
    """Wait for the kernels that have exited (so that their CPU time is counted in this
    process's children's, and in turn in the run's)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def _exit_when_stdin_closes() -> None:
    """The server's watchdog: the run closed our standard input, or died. Kernels still
    exiting are waited for a moment, then the server exits."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        deadline = time.monotonic() + 2.0
        try:
            while time.monotonic() < deadline:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    time.sleep(0.02)
        except ChildProcessError:
            pass
        os._exit(0)


def _recv_request(conn: socket.socket) -> tuple[dict, list[int]]:
    msg, fds, _flags, _addr = socket.recv_fds(conn, _MAX_REQUEST, 3)
    data = msg
    while not data.endswith(b"\n"):
        more = conn.recv(_MAX_REQUEST)
        if not more:
            break
        data += more
    return json.loads(data), list(fds)


def _become_kernel(conn: socket.socket, request: dict, fds: list[int]) -> None:
    """In the forked child: take the client's streams, folder and environment, then run
    ipykernel as ``ipykernel_launcher`` would. Never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in zip((0, 1, 2), fds, strict=False):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
        sys.argv = [request.get("launcher", "ipykernel_launcher"), *request["argv"]]

        def watch() -> None:  # the client is gone (killed): so is this kernel
            try:
                while conn.recv(1):
                    pass
            except OSError:
                pass
            os._exit(1)

        threading.Thread(target=watch, name="wres-client-watch", daemon=True).start()
        import random

        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        from ipykernel import kernelapp

        argv = list(request["argv"])
        parent = os.environ.get("JPY_PARENT_PID")
        if parent:  # ipykernel read it when the server imported it (unset then): give it now
            argv.append(f"--IPKernelApp.parent_handle={int(parent)}")
        kernelapp.launch_new_instance(argv=argv)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(socket_path: str, preload: Sequence[str]) -> None:
    """Listen on ``socket_path`` first (clients queue), import ``preload``, then fork one
    kernel per client until standard input closes."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython puts '' back in the kernel
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    for name in preload:
        __import__(name)
    import ipykernel.kernelapp  # noqa: F401  (imported, not started)

    signal.signal(signal.SIGCHLD, _reap)
    threading.Thread(target=_exit_when_stdin_closes, name="wres-watchdog", daemon=True).start()
    while True:
        conn, _ = listener.accept()
        try:
            request, fds = _recv_request(conn)
        except Exception:
            conn.close()
            continue
        # The watchdog thread is not copied by fork: the child only has this thread.
        pid = os.fork()
        if pid == 0:
            listener.close()
            _become_kernel(conn, request, fds)
        for fd in fds:
            os.close(fd)
        try:
            conn.sendall(f"{pid}\n".encode())
        except OSError:
            pass
        conn.close()


# ------------------------------------------------------------------------------------------
# The client (what jupyter_client starts as "the kernel")


def client(socket_path: str, argv: Sequence[str]) -> int:
    """Hand ``argv``, the working folder, the environment and the standard streams to the
    server; stand in for the forked kernel until it exits."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            conn.connect(socket_path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                print(f"wres kernel: no fork server at {socket_path}", file=sys.stderr)
                return 1
            time.sleep(0.02)
    request = {"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ)}
    data = json.dumps(request).encode() + b"\n"
    conn.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))])
    reply = b""
    while not reply.endswith(b"\n"):
        more = conn.recv(64)
        if not more:
            return 1
        reply += more
    pid = int(reply)

    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, forward)
    try:
        while conn.recv(64):  # the kernel holds the other end until it exits
            pass
    except OSError:
        pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"] and len(args) >= 2:
        serve(args[1], args[2:])
        return 0
    if args[:1] == ["client"] and len(args) >= 2:
        return client(args[1], args[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
