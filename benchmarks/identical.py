"""Is the output byte for byte what an earlier commit built? The check behind every refactoring.

``python3 -m benchmarks.identical [--base COMMIT] [--count 300]`` builds two projects with the
working tree's code (the seed letters of ``content/`` and a generated archive of ``--count``
letters, ``benchmarks.corpus``), and the same two with the code of ``--base`` (default ``HEAD``,
exported with ``git archive``), then compares, file by file, the sha256 of:

- every file of the built site (pages, the browser's search index, open data, feed, sitemap),
- ``vanban normalize``'s Markdown of every letter,
- ``vanban search --json`` for a few queries (the whoosh index and its ranking).

The incremental build's ``.vanban-fingerprints.json`` is compared by the pages it lists: its
digests include a hash of the builder's source, so they change with any code change by design.

It prints one line per project and every file that differs, and exits 1 when anything differs.
The base's digests are kept in ``--cache`` (by commit), so comparing again costs one build.
Each build starts from an empty cache folder, so nothing is carried over from an earlier build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FINGERPRINTS = ".vanban-fingerprints.json"
QUERIES = ("ủy ban nhân dân", "ubnd", "quyet dinh", "2642/UBND-VX", "kế hoạch phòng chống dịch", "2021")


def _run(args: list[str], cwd: Path, code: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=3600)
    if result.returncode not in (0, 1):  # 1: a letter with an error, reported the same on both sides
        sys.exit(f"{' '.join(args)} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result


def _project(code: Path, out: Path, count: int) -> Path:
    """A buildable project made from the tree ``code``: its seeds, or a generated corpus."""
    if count == 0:
        out.mkdir(parents=True)
        shutil.copy(code / "mkdocs.yml", out / "mkdocs.yml")
        (out / "site_theme").symlink_to(code / "site_theme", target_is_directory=True)
        shutil.copytree(code / "pages", out / "pages")
        shutil.copytree(code / "content", out / "content")
        return out
    _run([sys.executable, "-m", "benchmarks.corpus", "--count", str(count), "--out", str(out)], code, code)
    return out


def _digests(code: Path, project: Path) -> dict[str, str]:
    """sha256 of every output the build of ``project`` with the code of ``code`` makes."""
    py = sys.executable
    config = str(project / "mkdocs.yml")
    _run([py, "-m", "mkdocs", "build", "--quiet"], project, code)
    digests: dict[str, str] = {}
    for path in sorted((project / "site").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.name == FINGERPRINTS:
                data = _without_code_digests(data)
            digests["site/" + path.relative_to(project / "site").as_posix()] = _sha(data)
    normalized = project / "normalized"
    _run([py, "-m", "builder.cli", "normalize", "--out", str(normalized), "--config", config], project, code)
    for path in sorted(normalized.rglob("*")):
        if path.is_file():
            digests["normalize/" + path.relative_to(normalized).as_posix()] = _sha(path.read_bytes())
    for query in QUERIES:
        result = _run(
            [py, "-m", "builder.cli", "search", "--json", "--limit", "50", query, "--config", config],
            project,
            code,
        )
        digests[f"search/{query}"] = _sha(result.stdout.encode("utf-8"))
    return digests


def _without_code_digests(data: bytes) -> bytes:
    """The incremental build's fingerprints hash the builder's own source (so that a code change
    renders every page again): compare which pages they list, not the digests."""
    fingerprints = json.loads(data)
    return json.dumps({"format": fingerprints["format"], "pages": sorted(fingerprints["pages"])}).encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def measure(code: Path, count: int, work: Path) -> dict[str, dict[str, str]]:
    """Digests of the seeds' project and of a ``count``-letter project, built with ``code``."""
    results = {}
    for name, size in (("seeds", 0), (f"corpus-{count}", count)):
        project = _project(code, work / name, size)
        results[name] = _digests(code, project)
    return results


def _export(commit: str, into: Path, repository: Path) -> Path:
    """The tree of ``commit``, as files (``git archive``)."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", commit], cwd=repository, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="commit whose output is the reference (default HEAD)")
    parser.add_argument("--count", type=int, default=300, help="letters in the generated archive")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "vanban-identical")
    parser.add_argument(
        "--repository", type=Path, default=REPO, help="git repository of --base (default: this tree's)"
    )
    args = parser.parse_args(argv)
    base = subprocess.run(
        ["git", "rev-parse", args.base], cwd=args.repository, capture_output=True, text=True, check=True
    ).stdout.strip()
    args.cache.mkdir(parents=True, exist_ok=True)
    saved = args.cache / f"{base}-{args.count}.json"
    with tempfile.TemporaryDirectory(prefix="vanban-identical-") as temporary:
        work = Path(temporary)
        if saved.exists():
            before = json.loads(saved.read_text(encoding="utf-8"))
        else:
            before = measure(_export(base, work / "base-code", args.repository), args.count, work / "base")
            saved.write_text(json.dumps(before, indent=0, sort_keys=True), encoding="utf-8")
        after = measure(REPO, args.count, work / "head")
    different = 0
    for name, old in before.items():
        new = after[name]
        changed = sorted(key for key in old.keys() & new.keys() if old[key] != new[key])
        missing, added = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
        different += len(changed) + len(missing) + len(added)
        verdict = "identical" if not (changed or missing or added) else "DIFFERENT"
        print(f"{name}: {len(new)} outputs vs {len(old)} at {base[:10]}: {verdict}")
        for label, keys in (("changed", changed), ("only before", missing), ("only now", added)):
            for key in keys[:20]:
                print(f"  {label}: {key}")
            if len(keys) > 20:
                print(f"  … and {len(keys) - 20} more {label}")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
