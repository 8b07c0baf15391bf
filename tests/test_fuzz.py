"""Fuzzed letters: a seeded mutator over the seeds and the fixtures (byte flips, truncation,
NUL bytes, long lines, mixed encodings, shuffled and repeated lines, stray Markdown and YAML).

Every input must be answered by ``read_letter`` in time, with diagnostics or a letter,
never an exception, and never through the reader's last-resort "unreadable" error (which
would hide a crash). CI runs a few hundred inputs; ``-m slow`` runs thousands, and
``VANBAN_FUZZ=N`` sets the count (``VANBAN_FUZZ_SEED`` the seed) to reproduce a finding.
"""

from __future__ import annotations

import os
import random

import pytest

from builder.archive.letter_file import read_letter
from builder.letters.registry import load_registry
from tests.conftest import REPO
from tests.test_hostile_input import time_limit

CORPUS = sorted(
    [*(REPO / "content").glob("*.txt"), *(REPO / "tests" / "fixtures").rglob("*.txt")],
    key=lambda p: p.as_posix(),
)
PER_FILE_SECONDS = 10
SNIPPETS = [
    b"\x00",
    b"# ",
    b"***N\xc6\xa1i nh\xe1\xba\xadn:***",
    b"---\nso: [\n---\n",
    b"---\nthu_hoi: {ngay: 2021-13-45}\n---\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"| a | b |\n|---|---|\n",
    b"S\xe1\xbb\x91: /",
    b"ng\xc3\xa0y",
    b"\r",
    "Mường Tè, ngày 26 tháng 8 năm 2021".encode("cp1258", errors="replace"),
    "TỐI MẬT".encode("utf-16-le"),
    b"\xe2\x80\xae",
    b"\xef\xbf\xbf",
    b"[" * 200,
    b"*" * 300,
]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four random edits of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(8)
        at = rng.randrange(len(out) + 1)
        if kind == 0 and out:  # byte flips
            for _ in range(rng.randint(1, 16)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif kind == 1:  # truncation
            del out[at:]
        elif kind == 2:  # NUL and control bytes
            out[at:at] = bytes(rng.choice((0, 1, 8, 11, 12, 27, 127)) for _ in range(rng.randint(1, 8)))
        elif kind == 3:  # a long line
            unit = rng.choice([b" .", b"a ", b"\xe1\xba\xa1", b"1/", b"_", b"-", b"\t", b"ng\xc3\xa0y "])
            out[at:at] = unit * rng.randint(1_000, 20_000)
        elif kind == 4:  # mixed encodings: a piece of the text in another one
            piece = bytes(out[at : at + rng.randint(10, 400)]).decode("utf-8", errors="ignore")
            encoded = piece.encode(rng.choice(["cp1258", "latin-1", "utf-16-le", "cp1252"]), errors="replace")
            out[at : at + len(piece.encode("utf-8"))] = encoded
        elif kind == 5:  # a snippet of something known to be awkward
            out[at:at] = rng.choice(SNIPPETS)
        elif kind == 6:  # lines shuffled or repeated
            lines = bytes(out).split(b"\n")
            if rng.random() < 0.5:
                rng.shuffle(lines)
            else:
                start = rng.randrange(len(lines))
                lines[start:start] = lines[start : start + rng.randint(1, 5)] * rng.randint(2, 50)
            out = bytearray(b"\n".join(lines))
        else:  # a line dropped
            lines = bytes(out).split(b"\n")
            if lines:
                del lines[rng.randrange(len(lines))]
            out = bytearray(b"\n".join(lines))
    return bytes(out)


def _inputs(count: int, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    sources = [(p.name, p.read_bytes()) for p in CORPUS]
    return [
        (f"{name}#{n}", _mutate(data, rng))
        for n, (name, data) in enumerate(rng.choice(sources) for _ in range(count))
    ]


def _fuzz(count: int, seed: int) -> None:
    registry, _ = load_registry(REPO / "content")
    failures = []
    for name, data in _inputs(count, seed):
        try:
            with time_limit(PER_FILE_SECONDS):
                _, problems = read_letter(data, "fuzz.txt", "content/fuzz.txt", registry)
        except BaseException as error:
            failures.append(f"{name}: {type(error).__name__}: {str(error)[:200]}")
            continue
        crashed = [p.message for p in problems if "lỗi của chương trình đọc" in p.message]
        if crashed:
            failures.append(f"{name}: {crashed[0]}")
    assert failures == [], f"seed {seed}: {len(failures)} of {count} inputs failed:\n" + "\n".join(
        failures[:20]
    )


def test_fuzzed_letters_are_answered_in_time() -> None:
    assert len(CORPUS) >= 10
    _fuzz(int(os.environ.get("VANBAN_FUZZ", "300")), int(os.environ.get("VANBAN_FUZZ_SEED", "14")))


@pytest.mark.slow
@pytest.mark.skipif("VANBAN_FUZZ" not in os.environ, reason="on demand: VANBAN_FUZZ=5000 pytest -m slow")
def test_many_fuzzed_letters_are_answered_in_time() -> None:
    _fuzz(int(os.environ.get("VANBAN_FUZZ", "5000")), int(os.environ.get("VANBAN_FUZZ_SEED", "2026")))
