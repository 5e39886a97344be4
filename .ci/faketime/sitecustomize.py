"""Loaded by every Python process of CI's late-evening pass (.ci/run puts this folder on PYTHONPATH): pytest, and
the `flask worker` and `flask run` processes some tests start.

That pass runs under libfaketime with the monotonic clock left real (FAKETIME_DONT_FAKE_MONOTONIC=1: faked, it
starts at the fake date and every timed wait on a lock, which reads it, would last decades). libfaketime 0.9.10
still shifts the absolute deadline of clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), which time.sleep uses, by
the fake offset, and the call fails with EINVAL. select() with a relative timeout is passed through untouched."""
import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):
    def _sleep(seconds):
        select.select([], [], [], seconds)

    time.sleep = _sleep
