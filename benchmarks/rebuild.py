"""Rebuild benchmark: clean, no-change and one-letter rebuilds of one generated archive, in one run.

    python -m benchmarks.rebuild --count 10000            # generates benchmarks/out/rebuild-10000
    python -m benchmarks.rebuild --project /tmp/p10k      # an existing project (its cache is removed)

Every build is ``mkdocs build`` in a child process (wall time, peak memory of its process
tree as ``benchmarks.measure`` takes it). The order makes every result comparable with the
one clean build, byte for byte, without a second clean build:

1. clean: cache and site removed; the tree's digest is the reference;
2. no change: the same content again; must give the reference;
3. one letter edited (a word of its body), then 4. the edit undone: must give the reference;
5. one letter removed, then 6. added back (one letter added): must give the reference.

It prints a table with the ratios to the clean build and the site's size and file count.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import sys
from pathlib import Path

from benchmarks.measure import run_measured

HERE = Path(__file__).resolve().parent


def tree_digest(site: Path) -> tuple[str, int, int]:
    """(sha256 of every path and its bytes, file count, bytes)."""
    digest = hashlib.sha256()
    count = size = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        digest.update(path.relative_to(site).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
        count += 1
        size += len(data)
    return digest.hexdigest(), count, size


def _children_cpu() -> float:
    """CPU seconds of every finished child process and its descendants (the build's forked
    search process and workers included): on a shared machine, what a build costs, whatever the load."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(project: Path, name: str, out: Path) -> dict:
    cpu_before = _children_cpu()
    result = run_measured(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, env={"PYTHONPATH": str(HERE.parent)}
    )
    (out / f"rebuild-{name}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode:
        raise SystemExit(f"build '{name}' failed:\n" + "\n".join(result.stderr.splitlines()[-20:]))
    cpu = _children_cpu() - cpu_before
    digest, files, size = tree_digest(project / "site")
    counts = [
        line for line in result.stderr.splitlines() if "vanban: dựng" in line or "chỉ mục tìm kiếm" in line
    ]
    print(
        f"{name:>28}: {result.seconds:7.1f} s, CPU {cpu:7.1f} s, peak {result.peak_rss / 2**20:6.0f} MB,"
        f" load {os.getloadavg()[0]:.1f}; {' | '.join(counts)}"
    )
    return {
        "seconds": result.seconds,
        "cpu": cpu,
        "peak": result.peak_rss,
        "digest": digest,
        "files": files,
        "bytes": size,
    }


def pick_letter(content: Path) -> Path:
    """A letter in the middle of the archive (by file name): not the newest, not the oldest."""
    letters = sorted(p for p in content.rglob("*.txt"))
    return letters[len(letters) // 2]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Thời gian dựng lại: sạch, không đổi, đổi một văn bản.")
    parser.add_argument("--count", type=int, default=10000, help="số văn bản của kho sinh ra")
    parser.add_argument("--project", type=Path, help="dự án có sẵn (bỏ qua việc sinh kho)")
    parser.add_argument(
        "--keep-parse-cache",
        action="store_true",
        help="giữ bộ nhớ đệm kết quả đọc văn bản: bản dựng 'sạch' không tính thời gian đọc",
    )
    parser.add_argument(
        "--quick", action="store_true", help="chỉ: sạch, không đổi, sửa một văn bản, hoàn tác"
    )
    args = parser.parse_args(argv)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    project = args.project
    if project is None:
        from benchmarks.corpus import write_project

        project = out / f"rebuild-{args.count}"
        if not (project / "mkdocs.yml").exists():
            write_project(project, args.count)
    project = project.resolve()
    if args.keep_parse_cache:  # everything but the parse results: the whoosh index goes
        for child in (project / ".cache" / "vanban").glob("*"):
            if child.name != "letters":
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
    else:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    letter = pick_letter(project / "content")
    original = letter.read_bytes()
    results = {"clean": build(project, "clean", out)}
    results["no change"] = build(project, "no change", out)
    text = original.decode("utf-8-sig")
    edited = text.replace("thực hiện", "triển khai", 1)  # a phrase of the body (or the subject)
    letter.write_text(edited, encoding="utf-8")
    results["one letter edited"] = build(project, "one letter edited", out)
    letter.write_bytes(original)
    results["edit undone"] = build(project, "edit undone", out)
    if args.quick:
        return report(project, letter, results, out)
    held = out / "rebuild-held-letter"
    shutil.move(letter, held)
    results["one letter removed"] = build(project, "one letter removed", out)
    shutil.move(held, letter)
    results["one letter added"] = build(project, "one letter added", out)
    report(project, letter, results, out)


def report(project: Path, letter: Path, results: dict, out: Path) -> None:
    clean = results["clean"]
    print(f"\nproject {project}, letter {letter.relative_to(project)}")
    print("| build | seconds | × clean | CPU s | CPU × clean | peak MB | identical to clean |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, result in results.items():
        same = (
            "—"
            if name in ("one letter edited", "one letter removed")
            else result["digest"] == clean["digest"]
        )
        ratio = result["seconds"] / clean["seconds"]
        cpu_ratio = result["cpu"] / clean["cpu"]
        print(
            f"| {name} | {result['seconds']:.1f} | {ratio:.1%} | {result['cpu']:.1f} | {cpu_ratio:.1%}"
            f" | {result['peak'] / 2**20:.0f} | {same} |"
        )
    print(f"\nsite: {clean['files']} files, {clean['bytes'] / 2**20:.0f} MB")
    (out / "rebuild-results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
