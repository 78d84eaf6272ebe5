"""Work computed in a forked child: every step's value comes back; a failed step is computed by the caller."""
import multiprocessing
import os

import pytest

from graph_service.forked import ForkedCall


def test_each_step_comes_back_in_order_and_the_later_one_at_a_lower_priority():
    call = ForkedCall(lambda: (os.getpid(), os.nice(0)), lambda: (os.getpid(), os.nice(0)), nice=(0, 10))
    (pid1, nice1), (pid2, nice2) = call.result(0), call.result(1)
    assert pid1 == pid2 != os.getpid()  # one child for both steps
    assert nice2 == nice1 + 10
    assert multiprocessing.active_children() == []


def test_a_step_that_fails_in_the_child_is_computed_here(tmp_path):
    here = os.getpid()
    marker = tmp_path / "in-child"

    def fails_in_child():
        if os.getpid() != here:
            marker.write_text("tried")
            raise RuntimeError("child only")
        return "computed here"

    call = ForkedCall(fails_in_child, lambda: "second")
    assert call.step(1).result() == "second"  # read past the failed step first
    assert call.result(0) == "computed here" and marker.read_text() == "tried"


def test_a_value_that_cannot_be_sent_back_is_computed_here_and_the_next_step_still_matches():
    import threading

    call = ForkedCall(lambda: threading.Lock(), lambda: "second")  # a lock cannot be pickled
    assert isinstance(call.result(0), type(threading.Lock())) and call.result(1) == "second"


def test_an_error_of_the_step_itself_reaches_the_caller():
    call = ForkedCall(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        call.result()


def test_a_later_step_comes_back_though_an_earlier_one_is_never_read_and_cancel_ends_the_child():
    call = ForkedCall(lambda: b"rows" * 100_000, lambda: "duplicates")  # step 0 is more than a pipe holds
    assert call.step(1).result() == "duplicates"
    slow = ForkedCall(lambda: __import__("time").sleep(30))
    slow.step(0).cancel()
    assert multiprocessing.active_children() == []
