"""Hostile or odd input costs seconds, not gigabytes, and never a traceback.

Every regular expression of the builder is run over 100 KB adversarial lines
(runs of the characters its classes overlap on, behind the prefixes that get a
match going); a backtracking one takes minutes there. Whole letters carrying
such lines, and the shapes that crashed the reader, are read through the real
``read_letter`` and answered with diagnostics in time.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Iterator

import pytest

import builder
from builder.archive import read_letter
from builder.letter import Severity
from builder.registry import load_registry
from tests.conftest import REPO

LONG = 100_000
SEED = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
UNITS = (" .", " ", "…", "_", "a ", "1/", "A-", "\t", "*")
PREFIXES = ("", "ngày", "Hà Nội, ngày", "ngày 5 tháng", "của", "Số: 1/")


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail (not hang) when the block takes longer: the regex engine checks for signals."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for info in pkgutil.iter_modules(builder.__path__):
        module = importlib.import_module(f"builder.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{info.name}.{name}", value))
    return found


def _match_time(pattern: re.Pattern[str], line: str) -> float:
    """Seconds to search (which tries a match at the start first; a quadratic pattern fails at
    5 s; a slow moment of a busy machine is measured again by the caller)."""
    start = time.perf_counter()
    with time_limit(5):
        pattern.search(line)
    return time.perf_counter() - start


@pytest.mark.parametrize(("name", "pattern"), _patterns(), ids=[name for name, _ in _patterns()])
def test_every_regex_is_linear_on_100_kb_lines(name: str, pattern: re.Pattern[str]) -> None:
    """The date-line regex took 50 s on one line padded with 40,000 ' .' (quadratic)."""
    slowest, worst = 0.0, ""
    for prefix in PREFIXES:
        for unit in UNITS:
            line = prefix + unit * (LONG // len(unit)) + "\x00"
            took = min(_match_time(pattern, line) for _ in range(3 if _match_time(pattern, line) > 1 else 1))
            if took > slowest:
                slowest, worst = took, f"{prefix!r} + {unit!r} × {LONG // len(unit)}"
    assert slowest < 1.0, f"{name}: {slowest:.2f} s on {worst}"


def _read(text: str) -> tuple[object, list]:
    registry, _ = load_registry(REPO / "content")
    return read_letter(text.encode("utf-8"), "thu.txt", "content/thu.txt", registry)


def _timed_read(text: str, limit: float = 10.0) -> tuple[object, list]:
    start = time.perf_counter()
    with time_limit(limit + 5):
        outcome = _read(text)
    took = time.perf_counter() - start
    assert took < limit, f"{took:.1f} s"
    return outcome


@pytest.mark.parametrize("pad", [" .", " ", "…", "_"])
def test_a_padded_date_line_is_read_in_time(pad: str) -> None:
    line = "Lai Châu, ngày 26 tháng 8 năm 2021"
    assert line in SEED
    padded = "Lai Châu, ngày" + pad * (LONG // len(pad)) + " tháng"
    letter, problems = _timed_read(SEED.replace(line, padded, 1))
    assert letter is None or letter.ngay_ban_hanh != "2021-08-26"
    assert problems


@pytest.mark.parametrize(
    "text",
    [
        "# \n***Nơi nhận:***\n",
        "#\n\nNơi nhận:\n- Lưu: VT.\n",
        "# \n\n# \n***Nơi nhận:***\n- Như trên;\n",
        "> \n***Nơi nhận:***\n",
    ],
    ids=["empty-heading", "bare-heading", "two-headings", "empty-quote"],
)
def test_empty_blocks_before_the_footer_are_errors_not_crashes(text: str) -> None:
    """An empty heading was dropped from the blocks but lines kept its place: IndexError."""
    letter, problems = _read(text)
    assert letter is None
    assert any(p.severity is Severity.ERROR for p in problems), problems


def test_arabic_indic_digits_are_not_a_date() -> None:
    line = "Lai Châu, ngày 26 tháng 8 năm 2021"
    letter, problems = _read(SEED.replace(line, "Lai Châu, ngày ٢٦ tháng ٨ năm ٢٠٢١", 1))
    assert letter is None or letter.ngay_ban_hanh != "2021-08-26"
    assert any(p.severity is Severity.ERROR for p in problems)
