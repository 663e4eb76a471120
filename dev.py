#!/usr/bin/env python3
"""Routine jobs for Cangpei, runnable on a machine with nothing but Python 3.11 and pip.

    python3 dev.py demo      set up, start the stack and run the demo (the main job)
    python3 dev.py up        set up and start the stack until Ctrl-C
    python3 dev.py test      set up and run the test suite (extra args go to pytest)
    python3 dev.py protos    regenerate the Python stubs from protos/
    python3 dev.py lint      ruff check and format check
    python3 dev.py bench X   run benchmarks/X.py (extra args go to the script)

Set-up makes `.venv/` in the repository and installs the project with the pinned
versions in requirements/constraints.txt; it is skipped when nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
STAMP = VENV / ".cangpei-setup"


def _setup_fingerprint(extras: str) -> str:
    digest = hashlib.sha256(extras.encode())
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def setup(extras: str = "dev") -> None:
    """Create the virtual environment and install the project into it, once."""
    if not PY.exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _setup_fingerprint(extras)
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("installing Cangpei and its pinned dependencies (first run only)", flush=True)
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run(
        [*pip, "install", "-c", str(CONSTRAINTS), "-e", f".[{extras}]"], check=True, cwd=ROOT
    )
    STAMP.write_text(wanted)


def run(*args: str) -> int:
    return subprocess.run(list(args), cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    job, rest = argv[0], argv[1:]
    if job == "setup":
        setup()
        return 0
    if job == "test":
        setup()
        return run(str(PY), "-m", "pytest", *rest)
    if job in {"demo", "up"}:
        setup()
        return run(str(BIN / "cangpei"), job, *rest)
    if job == "protos":
        setup()
        return run(str(PY), "-m", "cangpei.codegen", *rest)
    if job == "lint":
        setup()
        return run(str(PY), "-m", "ruff", "check", ".") or run(
            str(PY), "-m", "ruff", "format", "--check", "."
        )
    if job == "bench":
        if not rest:
            print("usage: python3 dev.py bench NAME [args]; NAME is a file in benchmarks/")
            return 2
        setup()  # the dev extra has what the benchmarks need (PyVRP included)
        return run(str(PY), str(ROOT / "benchmarks" / f"{rest[0]}.py"), *rest[1:])
    print(f"unknown job {job!r}\n{__doc__}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
