"""What each hostile file of issue 14 costs: `vanban check` and `vanban build` on a project of
the seeds plus that one file, `vanban import` on each hostile Word file.

Each command runs as staff run it, in a subprocess whose address space is capped at 2 GB
(``prlimit --as``: past it the command fails instead of swapping), and is measured by
``benchmarks.measure.run_measured`` (wall time, peak memory of the process tree: the
larger of the summed PSS and any process's ``VmHWM``). The bar: every hostile file
answered in under 20 s and under 2 GB, with a Vietnamese message and no traceback.

    python -m benchmarks.hostile            # every case (~5 min)
    python -m benchmarks.hostile --only bom  # the cases whose name holds 'bom'
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import run_measured

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import make_project  # noqa: E402
from tests.test_no_traceback import ADDRESS_SPACE, HOSTILE_DOCX, HOSTILE_LETTERS  # noqa: E402

SECONDS, MEGABYTES = 20.0, ADDRESS_SPACE / 1e6
_SEED = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
LARGEST_ACCEPTED = {
    "lon-19000-dong.txt": _SEED.replace("2642", "2801", 1) + "\n" + "[\n" * 19_000,
    "lon-49000-gach.txt": _SEED.replace("2642", "2802", 1) + "\n" + ("_" * 100 + "\n") * 490,
    "lon-1.8-mb.txt": _SEED.replace("2642", "2803", 1)
    + ("\n" + "Ủy ban nhân dân huyện phối hợp thực hiện các biện pháp phòng, chống dịch. " * 4) * 4_800,
}
"""Files at the limits (lines, Markdown delimiters, size): they must be read, in time."""


def _command(*args: str) -> list[str]:
    return ["prlimit", f"--as={ADDRESS_SPACE}", "--", sys.executable, "-m", "builder.cli", *args]


def _row(case: str, command: str, result) -> tuple[str, bool]:
    output = result.stdout + result.stderr
    told = ": lỗi: " in output or case in LARGEST_ACCEPTED
    clean = "Traceback" not in output and "MemoryError" not in output
    ok = clean and told and result.seconds < SECONDS and result.peak_rss / 1e6 < MEGABYTES
    line = (
        f"| {case} | {command} | {result.returncode} | {result.seconds:.1f} | {result.peak_rss / 1e6:.0f} "
        f"| {'có' if told else 'KHÔNG'} | {'không' if clean else 'CÓ'} | {'đạt' if ok else 'KHÔNG ĐẠT'} |"
    )
    return line, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only the cases whose name holds this")
    args = parser.parse_args()
    env = {"PYTHONPATH": str(REPO)}
    rows, failed = [], 0
    work = Path(tempfile.mkdtemp(prefix="vanban-hostile-"))
    try:
        cases: dict[str, dict[str, str | bytes] | None] = {
            name: {name: data} for name, data in HOSTILE_LETTERS.items()
        }
        cases["x.txt (symlink → /etc/passwd)"] = None
        cases["fifo.txt"] = None
        for name, data in LARGEST_ACCEPTED.items():  # the most a letter may hold: read, not refused
            cases[name] = {name: data}
        for case, letters in cases.items():
            if args.only not in case:
                continue
            project = make_project(work / f"p{len(rows)}", letters=letters or {})
            if case.startswith("x.txt"):
                (project / "content" / "x.txt").symlink_to("/etc/passwd")
            elif case == "fifo.txt":
                os.mkfifo(project / "content" / "fifo.txt")
            for command in ("check", "build"):
                result = run_measured(_command(command), project, env=env, timeout=300)
                line, ok = _row(case, f"vanban {command}", result)
                rows.append(line)
                failed += not ok
                print(line, flush=True)
            shutil.rmtree(project, ignore_errors=True)
        for name, make in HOSTILE_DOCX.items():
            if args.only not in name:
                continue
            source = work / name
            source.write_bytes(make())
            result = run_measured(
                _command("import", str(source), "--out", str(work / "nhap")), work, env=env, timeout=300
            )
            line, ok = _row(name, "vanban import", result)
            rows.append(line)
            failed += not ok
            print(line, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print("| tệp | lệnh | mã thoát | giây | MB (đỉnh) | báo lỗi tiếng Việt | traceback | < 20 s, < 2 GB |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n{len(rows) - failed} / {len(rows)} đạt. Lệnh: python -m benchmarks.hostile")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
