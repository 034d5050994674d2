"""call_with_limit: a plugin's check or notifier cannot hang coflow."""

from __future__ import annotations

import threading
import time

import pytest

from coflow.timelimit import TimeLimitExceeded, call_with_limit


def test_the_result_comes_back():
    assert call_with_limit(lambda a, b: a + b, (2, 3), 5, "adder") == 5


def test_the_calls_own_exception_is_raised_as_it_was():
    def broken():
        raise ValueError("bad parameter")

    with pytest.raises(ValueError, match="bad parameter"):
        call_with_limit(broken, (), 5, "broken")


def test_a_timeout_the_call_raises_itself_is_not_mistaken_for_running_out_of_time():
    def slow_socket():
        raise TimeoutError("the server did not answer")

    with pytest.raises(TimeoutError) as caught:
        call_with_limit(slow_socket, (), 5, "socket")
    assert not isinstance(caught.value, TimeLimitExceeded)


def test_a_call_still_running_is_given_up_on_after_the_limit():
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match="took longer than 0.2 seconds"):
        call_with_limit(release.wait, (30,), 0.2, "hang")
    assert time.monotonic() - started < 5
    release.set()
