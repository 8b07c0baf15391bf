"""Save -> page served under ``vanban serve`` (issue 19's bar: ≤ 5 s at 10,000 letters).

    python -m benchmarks.serve_edit --project DIR [--port 8765] [--edits 3] [--pause 60]

Starts ``vanban serve`` in ``DIR``, waits until a letter's page is served (the first build), then
edits that letter (a phrase of its body) ``--edits`` times, ``--pause`` seconds apart (a save made
while the previous save's search index is still being made waits for it: pause longer than that
to measure a save alone). For each save it prints the time until the page served over HTTP holds
the edit (polled every 50 ms: what a browser shows once livereload reloads it, less the page's
own load) and the CPU seconds the serve process spent meanwhile (from ``/proc``; the background
search process is not counted). The letter is restored at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from slugify import slugify


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", "replace"))
    except OSError:
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Thời gian từ lúc lưu đến lúc trang hiện bản sửa (vanban serve)."
    )
    parser.add_argument("--project", type=Path, required=True, help="dự án (mkdocs.yml, content/)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--edits", type=int, default=3, help="số lần sửa")
    parser.add_argument("--pause", type=float, default=60.0, help="giây chờ trước mỗi lần sửa")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    letters = sorted((project / "content").rglob("*.txt"))
    letter = letters[len(letters) // 2]
    relative = letter.relative_to(project / "content").as_posix()
    url = f"http://127.0.0.1:{args.port}/van-ban/{slugify(re.sub(r'[.]txt$', '', relative))}/"
    log = (project / "serve-edit.log").open("w", encoding="utf-8")
    command = [sys.executable, "-m", "builder.cli", "serve", "-a", f"127.0.0.1:{args.port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        command, cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    original = letter.read_bytes()
    try:
        started = time.perf_counter()
        while _page(url) is None:
            if server.poll() is not None:
                raise SystemExit(f"vanban serve stopped (see {log.name})")
            time.sleep(0.5)
        print(f"first build served after {time.perf_counter() - started:.1f} s ({url})", flush=True)
        text = original.decode("utf-8-sig")
        for number in range(1, args.edits + 1):
            time.sleep(args.pause)
            marker = f"kiểm tra lần {number}"
            edited = text.replace("thực hiện", marker, 1) if "thực hiện" in text else f"{text}\n\n{marker}\n"
            cpu, saved = _cpu(server.pid), time.perf_counter()
            letter.write_text(edited, encoding="utf-8")
            while marker not in (_page(url) or ""):
                time.sleep(0.05)
            print(
                f"edit {number}: page with the edit {time.perf_counter() - saved:.2f} s after the save,"
                f" serve process CPU {_cpu(server.pid) - cpu:.2f} s (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    finally:
        letter.write_bytes(original)
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
