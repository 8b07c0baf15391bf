"""Save -> page served under ``vanban serve`` (issue 19's bar: ≤ 5 s at 10,000 letters).

    python -m benchmarks.serve_edit --project DIR [--port 8765] [--edits 3] [--pause 60]

Starts ``vanban serve`` in ``DIR``, waits until a letter's page is served (the first build), then
edits that letter (a phrase of its body) ``--edits`` times, ``--pause`` seconds apart (a save made
while the previous save's search index is still being made waits for it: pause longer than that
to measure a save alone). For each save it prints the time until the page served over HTTP holds
the edit (polled every 50 ms: what a browser shows once livereload reloads it, less the page's
own load), the CPU seconds the serve process spent meanwhile (from ``/proc``), what the serve
log says of it (the quick path's pages and files, or a full build, and the seconds the server
spent on it) and the load average. The background search process's CPU is printed apart, as the
serve process's waited-for children (counted once a run ends or is stopped). The letter is restored
at the end.
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


def _cpu(pid: int, children: bool = False) -> float:
    """CPU seconds (user + system) the process (or its waited-for children) has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    first = 13 if children else 11
    return (int(fields[first]) + int(fields[first + 1])) / os.sysconf("SC_CLK_TCK")


def _server_said(log: Path, start: int) -> str:
    """What the serve log says of the last save: the quick path's line or a full build's, and
    the seconds the server spent."""
    text = log.read_text(encoding="utf-8", errors="replace")[start:]
    said = re.findall(
        r"vanban: (lưu nhanh .*?);|vanban serve: (dựng lại toàn bộ.*)|vanban serve: xong sau (.*)", text
    )
    quick = [q for q, _, _ in said if q]
    full = [f for _, f, _ in said if f]
    seconds = [t for _, _, t in said if t]
    what = quick[-1] if quick else (full[-1] if full else "?")
    return f"{what}; server: {seconds[-1] if seconds else '?'}"


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
    log_path = project / "serve-edit.log"
    log = log_path.open("w", encoding="utf-8")
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
            cpu, children = _cpu(server.pid), _cpu(server.pid, children=True)
            logged = len(log_path.read_text(encoding="utf-8", errors="replace"))
            saved = time.perf_counter()
            letter.write_text(edited, encoding="utf-8")
            while marker not in (_page(url) or ""):
                time.sleep(0.05)
            shown = time.perf_counter() - saved
            used = _cpu(server.pid) - cpu
            time.sleep(1)  # the server's last log lines
            print(
                f"edit {number}: page with the edit {shown:.2f} s after the save,"
                f" serve process CPU {used:.2f} s (load {os.getloadavg()[0]:.1f});"
                f" {_server_said(log_path, logged)};"
                f" search runs ended meanwhile: {_cpu(server.pid, children=True) - children:.1f} s CPU",
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
