"""The shared collector pause: off inside, back on after (errors too), and a collector the caller turned off
stays off."""
import gc

import pytest

from spinekg.collector import collector_paused


def test_collector_is_off_inside_and_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_comes_back_after_an_error():
    with pytest.raises(KeyError):
        with collector_paused():
            raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
