"""`cangpei clock`: show, set and reset the local stack's business clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cangpei.cli import build_parser
from cangpei.runtime.clock import BusinessClock


@pytest.fixture(autouse=True)
def stack_default_clock_file(monkeypatch) -> None:
    monkeypatch.delenv("CANGPEI_CLOCK_FILE", raising=False)


def run(capsys, *argv: str) -> tuple[int, str]:
    args = build_parser().parse_args(list(argv))
    return args.func(args), capsys.readouterr().out


def test_set_show_and_back_to_the_real_clock(tmp_path, capsys) -> None:
    data = str(tmp_path)
    code, out = run(capsys, "clock", "show", "--data-dir", data)
    assert code == 0 and "the real one" in out

    code, out = run(capsys, "clock", "set", "2026-12-08T07:00+08:00", "--data-dir", data)
    assert code == 0 and "2026-12-08T07:00" in out
    # What the stack's services read from the same file.
    business = BusinessClock(tmp_path / "clock.json")()
    expected = datetime.fromisoformat("2026-12-08T07:00+08:00")
    assert abs(business - expected) < timedelta(minutes=1)

    code, out = run(capsys, "clock", "real", "--data-dir", data)
    assert code == 0 and "the real one" in out
    assert not (tmp_path / "clock.json").exists()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["set"], "needs the time"),
        (["set", "tomorrow"], "is not a date and time"),
        (["set", "2026-12-08T07:00"], "needs its UTC offset"),
        (["set", "2026-12-08T07:00+08:00", "--speed", "0"], "must be above 0"),
    ],
)
def test_a_bad_setting_is_refused_and_changes_nothing(tmp_path, capsys, argv, says) -> None:
    code, out = run(capsys, "clock", *argv, "--data-dir", str(tmp_path))
    assert code == 2 and says in out
    assert not (tmp_path / "clock.json").exists()
