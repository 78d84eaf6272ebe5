"""Run a pure computation in a forked child process while the caller goes on with other work.

A big import lists its likely duplicates (RapidFuzz over every new name) while it writes to the
store, and the SQLite store prepares a big sync's records while it writes the actors and ties:
the two need nothing from each other, and on a machine with two cores they take the time of the
longer one instead of the sum. The child is a ``fork`` of the caller, so it reads the
inputs where they are (nothing is copied or pickled on the way in); only the result comes back,
pickled through a pipe.

Only for single-threaded callers (the command line), as with the phone-number workers of
:class:`importers.normalise.Phones`: forking a process that runs other threads can copy a lock
some thread holds. The answer never depends on the child: when it fails or dies, the caller
computes the result itself.
"""
from __future__ import annotations

import multiprocessing
import time
from typing import Any, Callable


def _child(fn: Callable[[], Any], send) -> None:
    t0 = time.perf_counter()
    try:
        value = fn()
    except BaseException:  # the caller computes it again and sees the error itself
        send.send((False, None, 0.0))
    else:
        send.send((True, value, time.perf_counter() - t0))
    finally:
        send.close()


class ForkedCall:
    """``fn()`` computed in a forked child; :meth:`result` waits for it, :meth:`cancel` drops it.

    ``fn`` must not write anything the caller will read (the child's memory is its own) and must
    return something picklable.
    """

    def __init__(self, fn: Callable[[], Any]):
        self._fn = fn
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child, args=(fn, send), daemon=True, name="graph-service-forked-call")
        self._proc.start()
        send.close()  # the child holds the other end: a dead child is then an EOF, not a hang
        self.seconds = 0.0

    def result(self) -> Any:
        """The value of ``fn()`` (computed here when the child failed). ``seconds``: the time it took."""
        try:
            ok, value, seconds = self._recv.recv()
        except (EOFError, OSError):
            ok, value, seconds = False, None, 0.0
        finally:
            self._close()
        if not ok:
            t0 = time.perf_counter()
            value = self._fn()
            seconds = time.perf_counter() - t0
        self.seconds = seconds
        return value

    def cancel(self) -> None:
        """Stop the child (its result is not needed); nothing happens after :meth:`result`."""
        if not self._recv.closed and self._proc.is_alive():
            self._proc.terminate()
        self._close()

    def _close(self) -> None:
        if not self._recv.closed:
            self._recv.close()
            self._proc.join()
