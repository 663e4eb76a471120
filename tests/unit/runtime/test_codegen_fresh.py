import subprocess
import sys


def test_committed_stubs_match_the_protos():
    # In a process of its own: protoc's bundled protobuf must not meet the one OR-Tools
    # loads into this process (the two abort when they share a process).
    check = subprocess.run(
        [sys.executable, "-m", "cangpei.codegen", "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, f"stale generated code:\n{check.stdout}{check.stderr}"
