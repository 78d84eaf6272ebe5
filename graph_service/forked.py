"""Run pure computations in a forked child process while the caller goes on with other work.

A big import lists its likely duplicates (RapidFuzz over every new name) while it writes to the
store, and the SQLite store prepares a big sync's rows while it plans and writes: the pieces need
nothing from each other, and on a machine with two cores they take the time of the longer one
instead of the sum. The child is a ``fork`` of the caller, so it reads the inputs where they are
(nothing is copied or pickled on the way in); only the results come back, pickled through a pipe.
One child can compute several steps one after the other (each fork of a big process costs both
processes copy-on-write page faults, so one fork for two steps is cheaper than two forks).

Only for single-threaded callers (the command line), as with the phone-number workers of
:class:`importers.normalise.Phones`: forking a process that runs other threads can copy a lock
some thread holds. The answer never depends on the child: when it fails or dies, the caller
computes the result itself.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from typing import Any, Callable, Sequence


def _send(send, message: tuple) -> None:
    try:
        send.send(message)  # pickled whole before anything is written
    except (OSError, EOFError):
        pass  # the caller has gone (cancelled)
    except Exception:  # a value that cannot be pickled: the caller computes it itself
        with contextlib.suppress(OSError, EOFError):
            send.send((False, None, 0.0))


def ignore_interrupts() -> None:
    """For a forked worker: Ctrl-C reaches the whole process group, and the importing process
    decides what happens (it ends its workers), so the workers print no traceback of their own.
    A worker also ends when the importing process dies (``kill -9``: it cannot end them itself):
    otherwise one blocked sending its result would live on, holding its memory and the database
    file open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:  # an orphan is adopted by another process
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="graph-service-parent-watch", daemon=True).start()


def _child(fns: Sequence[Callable[[], Any]], nice: Sequence[int], send, recv) -> None:
    recv.close()  # the caller's end: with the caller gone, a send then fails instead of blocking
    ignore_interrupts()
    sender: threading.Thread | None = None
    niceness = 0
    for step, fn in enumerate(fns):
        t0 = time.perf_counter()
        try:
            wanted = nice[step] if step < len(nice) else niceness
            if wanted > niceness:
                os.nice(wanted - niceness)
                niceness = wanted
            message = (True, fn(), time.perf_counter() - t0)
        except BaseException:  # the caller computes it again and sees the error itself
            message = (False, None, 0.0)
        if sender is not None:
            sender.join()
        # sent from a thread: the pipe holds 64 KiB, and the caller may read a step's result only
        # when it needs it; the next step is computed meanwhile
        sender = threading.Thread(target=_send, args=(send, message), name="graph-service-forked-send")
        sender.start()
    if sender is not None:
        sender.join()
    send.close()


class ForkedCall:
    """``fns`` computed one after the other in a forked child; :meth:`result` waits for one,
    :meth:`cancel` drops them all.

    ``nice``: the child's niceness (0-19, lower priority the higher) while it computes each step,
    e.g. ``(0, 10)`` for a second step the caller needs only later. ``fns`` must not write
    anything the caller will read (the child's memory is its own) and must return something
    picklable.
    """

    def __init__(self, *fns: Callable[[], Any], nice: Sequence[int] = ()):
        self._fns = fns
        self._got: dict[int, tuple[bool, Any, float]] = {}
        self._received = 0  # results read from the pipe so far (they come in step order)
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child, args=(fns, tuple(nice), send, self._recv), daemon=True,
                                 name="graph-service-forked-call")
        self._proc.start()
        send.close()  # the child holds the other end: a dead child is then an EOF, not a hang
        self.seconds = [0.0] * len(fns)

    def result(self, step: int = 0) -> Any:
        """The value of ``fns[step]()`` (computed here when the child failed); once per step.
        ``seconds[step]``: the time it took."""
        while self._received <= step and not self._recv.closed:
            try:
                self._got[self._received] = self._recv.recv()
            except (EOFError, OSError):
                self._close()
                break
            self._received += 1
        ok, value, seconds = self._got.pop(step, (False, None, 0.0))
        if self._received >= len(self._fns):
            self._close()
        if not ok:
            t0 = time.perf_counter()
            value = self._fns[step]()
            seconds = time.perf_counter() - t0
        self.seconds[step] = seconds
        return value

    def step(self, step: int) -> "ForkedStep":
        """One step of this call, as something to wait for or cancel on its own."""
        return ForkedStep(self, step)

    def cancel(self) -> None:
        """Stop the child (its results are not needed); nothing happens after the last :meth:`result`."""
        if not self._recv.closed and self._proc.is_alive():
            self._proc.terminate()
        self._close()

    def _close(self) -> None:
        if not self._recv.closed:
            self._recv.close()
            self._proc.join()


class ForkedStep:
    """One step of a :class:`ForkedCall`, to hand to whoever needs its value: :meth:`result`
    waits for it; :meth:`cancel` stops the whole child."""

    def __init__(self, call: ForkedCall, step: int):
        self.call, self.index = call, step

    def result(self) -> Any:
        return self.call.result(self.index)

    @property
    def seconds(self) -> float:
        return self.call.seconds[self.index]

    def cancel(self) -> None:
        self.call.cancel()
