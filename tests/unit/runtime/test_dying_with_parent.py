"""Children wrapped by dying_with_parent run only while the process that spawned them lives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from cangpei.runtime.natsd import dying_with_parent

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("setpriv") is None,
    reason="the parent-death signal needs Linux and util-linux's setpriv",
)


def test_the_wrapped_command_runs_with_its_arguments() -> None:
    done = subprocess.run(
        dying_with_parent([sys.executable, "-c", "import sys; print(sys.argv[1:])", "a b", "c"]),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "['a b', 'c']")


def test_a_child_whose_spawning_parent_is_gone_does_not_start(tmp_path) -> None:
    # The command names the process that built it; started by any other parent (as when
    # the builder died before the child asked for the signal, and init adopted it), the
    # child must not run the command, or nothing would ever stop it.
    marker = tmp_path / "ran"
    command = dying_with_parent(["touch", str(marker)])
    me = str(os.getpid())
    assert me in command
    someone_else = [("1" if part == me else part) for part in command]
    done = subprocess.run(someone_else, timeout=30)
    assert done.returncode != 0
    assert not marker.exists()
