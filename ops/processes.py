"""Stopping a server started in its own process group (start_new_session=True), so that its
children (Sanic workers, nginx workers) stop with it."""

from __future__ import annotations

import os
import signal
import subprocess

GRACE_SECONDS = 20


def stop_group(proc: subprocess.Popen, grace: float = GRACE_SECONDS) -> None:
    """SIGTERM to the group, then SIGKILL if it is still running after `grace` seconds."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass
