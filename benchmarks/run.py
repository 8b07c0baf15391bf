"""The benchmark: for N letters, build the site, measure it, query it, and put the peers beside it.

``python -m benchmarks.run [--sizes 1000,10000] [--with-100k] [--update-readme]``

For each size N: generate the corpus (``benchmarks.corpus``), build our site
with a clean cache (``benchmarks.probe`` cuts the build into stages), build the
same project again with mkdocs-material's search instead of ours, index the
built letter pages with Pagefind, then run the fixed query set in headless
Chromium against all three (``benchmarks.browser``). Prints Markdown tables,
writes ``benchmarks/out/results-N.json`` and, with ``--update-readme``, puts
the tables into ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks import agreement, browser, corpus, peers, relevance
from benchmarks.measure import run_measured, tree_size, wire_size, wire_tree_size

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
README = HERE / "README.md"
MB = 1024 * 1024

BAR = {
    "cold_kb_10k": 150,
    "warm_ms_10k": 100,
    "build_s_10k": 120,
    "peak_gb_10k": 2,
    "cold_kb_100k": 300,
    "build_ratio_100k": 11,
    "peak_ratio_100k": 2,
    "ndcg_10k": 0.90,
    "ndcg_gap": 0.15,
}
"""Issue 5's bar, and issue 17's (graded relevance)."""


# --------------------------------------------------------------------------- queries


def choose_queries(manifest: dict, ids: dict[str, str]) -> list[dict[str, Any]]:
    """The fixed query set, with real numbers, names and dates taken from the corpus.

    Each query has ``expect``: the letters that answer it, one of which must be
    among the first ten (the letter whose number it is; the letters issued on
    the date, ~19 a day at 100,000 letters; the rare word's letters; the
    signer's letters), or nothing when any answer is fine.
    """
    letters = [e for e in manifest["letters"] if e["file"] in ids]
    queries: list[dict[str, Any]] = []

    def add(text: str, kind: str, expect: list[str] | None = None) -> None:
        queries.append({"q": text, "kind": kind, "expect": [ids[f] for f in expect or [] if f in ids]})

    for accented, plain in [("phòng chống dịch", "phong chong dich"), ("quyết định", "quyet dinh")]:
        add(accented, "common")
        add(plain, "common")
    add("ủy ban nhân dân", "common")
    add("uy ban nhan dan", "common")
    rare = [e["file"] for e in letters if e["rare"]]
    add("Gầu Tào", "rare", rare)
    add("gau tao", "rare", rare)
    signer = _rare_signer(letters)
    signed = [e["file"] for e in letters if e["signer"] == signer]
    add(signer, "name", signed)
    add(_fold(signer), "name", signed)
    target = _numbered(letters, "Công văn", 1000)
    number = target["so_ky_hieu"]
    add(number, "number", [target["file"]])
    add(re.sub(r"[/-]", " ", number).lower(), "number", [target["file"]])
    decision = _numbered(letters, "Quyết định", 100)
    add(decision["so_ky_hieu"], "number", [decision["file"]])
    add(_fold(decision["so_ky_hieu"]).lower(), "number", [decision["file"]])
    year, month, day = (int(p) for p in target["date"].split("-"))
    same_day = [e["file"] for e in letters if e["date"] == target["date"]]
    add(f"{day}/{month}/{year}", "date", same_day)
    add(f"ngày {day} tháng {month} năm {year}", "date", same_day)
    add(f"ngay {day} thang {month} nam {year}", "date", same_day)
    add('"thích ứng an toàn, linh hoạt"', "phrase")
    add('"thich ung an toan linh hoat"', "phrase")
    add("xoá mù chữ", "tone")
    add("xóa mù chữ", "tone")
    add("xoa mu chu", "tone")
    return queries


def _fold(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def _rare_signer(letters: list[dict]) -> str:
    """The signer with the rarest family name (then fewest letters): a name query with few answers."""
    surnames: dict[str, int] = {}
    signers: dict[str, int] = {}
    for entry in letters:
        surnames[entry["signer"].split()[0]] = surnames.get(entry["signer"].split()[0], 0) + 1
        signers[entry["signer"]] = signers.get(entry["signer"], 0) + 1
    return min(signers, key=lambda name: (surnames[name.split()[0]], signers[name], name))


def _numbered(letters: list[dict], kind: str, at_least: int) -> dict:
    """The first letter of a type with a number of at least ``at_least`` digits' worth, from a district."""
    for entry in letters:
        number = entry["so_ky_hieu"]
        if entry["type"] == kind and number and int(re.split(r"[/-]", number)[0]) >= at_least:
            return entry
    return next(e for e in letters if e["type"] == kind and e["so_ky_hieu"])


# --------------------------------------------------------------------------- one size


REBUILD_UP_TO = 100_000
"""The no-change rebuild is measured below this size (at 100,000 it would double a long run)."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def probe_build(
    project: Path,
    work: Path,
    config: str = "mkdocs.yml",
    search: bool = True,
    clean: bool = True,
    tag: str = "",
) -> dict:
    """One build in a child process (by default clean: cache removed): wall time, peak memory, stages."""
    if clean:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    name = tag or Path(config).stem
    out = work / f"stages-{name}.json"
    args = [sys.executable, "-m", "benchmarks.probe", "--project", str(project), "--config", config]
    args += ["--out", str(out)] + ([] if search else ["--no-search"])
    result = run_measured(args, cwd=project, env={"PYTHONPATH": str(HERE.parent)})
    (work / f"build-{name}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    stages = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"stages": {}}
    if result.returncode:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise RuntimeError(f"build failed ({config}):\n{tail}")
    return {
        "seconds": result.seconds,
        "peak_rss": result.peak_rss,
        "sampled_peak": result.sampled_peak,
        "sampled_peak_at": result.sampled_peak_at,
        "largest_process": result.largest_process,
        "stages": stages["stages"],
    }


def letter_ids(site: Path) -> dict[str, str]:
    """Committed file name -> letter id, from the built site (the original sits in its letter's folder)."""
    ids = {}
    for page in peers.letter_pages(site):
        for original in page.parent.glob("*.txt"):
            ids[original.name] = page.parent.name
    return ids


def theme_files(site: Path) -> set[str]:
    """Site paths of material's own assets (same relative path as in the installed theme)."""
    import material

    theme = Path(material.__file__).parent / "templates"
    found = set()
    for root, _dirs, names in os.walk(site / "assets"):
        for name in names:
            relative = Path(root, name).relative_to(site)
            if (theme / relative).exists():
                found.add(relative.as_posix())
    return found


def bench(
    count: int,
    skip_material: bool = False,
    skip_pagefind: bool = False,
    reuse: bool = False,
    relevance_only: bool = False,
    cold_ours_only: bool = False,
) -> dict[str, Any]:
    """Everything for one corpus size; the result is also written to ``out/results-N.json``.

    ``reuse`` skips the corpus and the builds when a previous run left them
    (``out/N/builds.json``): for working on the query part only. ``relevance_only`` runs only
    the graded queries (with ``reuse``: the previous run's cold figures are kept);
    ``cold_ours_only`` measures cold and warm figures for our search only (the peers' cold
    queries are the slowest part of a run on a busy machine), the graded queries for all.
    """
    work = OUT / str(count)
    work.mkdir(parents=True, exist_ok=True)
    project = work / "project"
    saved = work / "builds.json"
    if reuse and saved.exists():
        builds = json.loads(saved.read_text(encoding="utf-8"))
    else:
        builds = _builds(count, work, project, skip_material, skip_pagefind)
        saved.write_text(json.dumps(builds, ensure_ascii=False, indent=1), encoding="utf-8")
    site, pf_site = project / "site", work / "pagefind-site"
    manifest = corpus.load_manifest(project)
    ids = letter_ids(site)
    queries = choose_queries(manifest, ids)
    log(f"== {len(queries)} queries x engines in Chromium (load average {_load()})")
    servers = [browser.StaticServer(site)]
    engines: list[browser.Engine] = [browser.OurSearch(servers[-1].url, theme_files(site))]
    if builds["pagefind"]:
        servers.append(browser.StaticServer(pf_site))
        engines.append(browser.PagefindSearch(servers[-1].url))
    if builds["material"]:
        servers.append(browser.StaticServer(project / peers.MATERIAL_SITE))
        engines.append(browser.MaterialSearch(servers[-1].url))
    graded = relevance.relevance_queries(manifest, ids, relevance.real_cases())
    try:
        cold_engines = engines[:1] if cold_ours_only else engines
        results = [] if relevance_only else browser.run_queries(cold_engines, [q["q"] for q in queries], log)
        log(f"== {len(graded)} graded queries x engines in Chromium")
        tops = relevance.top_tens(engines, [q["q"] for q in graded], log)
    finally:
        for server in servers:
            server.close()
    # Issue 17: the browser's first ten must be whoosh's, in order (benchmarks/agreement.py).
    reference = agreement.whoosh_tops(project, list(dict.fromkeys(q["q"] for q in graded)))
    record = {
        "count": count,
        **builds,
        "queries": queries,
        "results": [asdict(r) for r in results],
        "relevance": {"queries": graded, "tops": tops, "whoosh": reference},
        "load_after": _load(),
        "machine": machine(),
    }
    previous = OUT / f"results-{count}.json"
    if relevance_only and previous.exists():
        record["results"] = json.loads(previous.read_text(encoding="utf-8"))["results"]
    OUT.mkdir(exist_ok=True)
    text = json.dumps(record, ensure_ascii=False, indent=1)
    (OUT / f"results-{count}.json").write_text(text, encoding="utf-8")
    return record


def _with_current_expectations(record: dict) -> dict:
    """A saved run with each query's expected letters chosen again by ``choose_queries`` (when
    its corpus and site are still on disk): the engines' saved top tens are measured against
    the current definition of a right answer."""
    project = OUT / str(record["count"]) / "project"
    if not (project / "site").is_dir():
        return record
    chosen = {
        q["q"]: q["expect"]
        for q in choose_queries(corpus.load_manifest(project), letter_ids(project / "site"))
    }
    for query in record["queries"]:
        query["expect"] = chosen.get(query["q"], query["expect"])
    return record


def _load() -> str:
    """The 1, 5 and 15 minute load averages: the builds share 2 cores with whatever else runs."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _builds(
    count: int, work: Path, project: Path, skip_material: bool, skip_pagefind: bool
) -> dict[str, Any]:
    """Corpus, our build, a no-change rebuild, material's build, Pagefind's index."""
    load_before = _load()
    log(f"== {count} letters: corpus (load average {load_before})")
    started = time.perf_counter()
    corpus.write_project(project, count)
    real = relevance.add_real_letters(project)
    log(f"   {len(real)} real letters mixed in ({relevance.REAL_LETTERS})")
    generated = time.perf_counter() - started
    manifest = corpus.load_manifest(project)

    log("== our build (clean cache)")
    ours = probe_build(project, work)
    site = project / "site"
    sitemap = site / "sitemap.xml"
    sizes = {
        "site": asdict(tree_size(site)),
        "search_dir": asdict(tree_size(site / "tim-kiem")),
        "search_dir_wire": wire_tree_size(site / "tim-kiem"),
        "whoosh": asdict(tree_size(project / ".cache" / "vanban" / "whoosh")),
        "cache": asdict(tree_size(project / ".cache")),
        "letter_pages": len(peers.letter_pages(site)),
        "sitemap_wire": wire_size(sitemap.read_bytes()) if sitemap.exists() else 0,
    }
    log(
        f"   {ours['seconds']:.1f} s, {ours['peak_rss'] / MB:.0f} MB (process tree sampled:"
        f" {ours['sampled_peak'] / MB:.0f} MB at {ours['sampled_peak_at']:.0f} s; largest process:"
        f" {ours['largest_process'] / MB:.0f} MB), site {sizes['site']['bytes'] / MB:.0f} MB"
    )

    rebuild: dict[str, Any] = {}
    if count < REBUILD_UP_TO:
        log("== rebuild, nothing changed (incremental cache)")
        rebuild = probe_build(project, work, clean=False, tag="rebuild")

    material: dict[str, Any] = {}
    if not skip_material:
        log("== material search build")
        config = peers.material_variant(project)
        material = probe_build(project, work, config.name, search=False)
        index = project / peers.MATERIAL_SITE / "search" / "search_index.json"
        material["index_bytes"] = index.stat().st_size if index.exists() else None
        material["index_wire"] = wire_tree_size(index.parent) if index.exists() else None
        log(f"   {material['seconds']:.1f} s, index {(material['index_bytes'] or 0) / MB:.1f} MB")

    pagefind: dict[str, Any] = {}
    if not skip_pagefind:
        log("== Pagefind index")
        pf_run, pf_site = peers.pagefind_index(site, work)
        if pf_run.returncode:
            raise RuntimeError("pagefind failed:\n" + pf_run.stdout[-2000:] + pf_run.stderr[-2000:])
        browser.write_pagefind_harness(pf_site)
        pagefind = {
            "seconds": pf_run.seconds,
            "peak_rss": pf_run.peak_rss,
            "bundle": asdict(tree_size(pf_site / "pagefind")),
            "version": _pagefind_version(),
        }
        log(
            f"   {pf_run.seconds:.1f} s, {pf_run.peak_rss / MB:.0f} MB, "
            f"bundle {pagefind['bundle']['bytes'] / MB:.1f} MB"
        )

    return {
        "load_before": load_before,
        "generated_seconds": generated,
        "words": sum(e["words"] for e in manifest["letters"]),
        "ours": ours,
        "rebuild": rebuild,
        "sizes": sizes,
        "material": material,
        "pagefind": pagefind,
    }


def _pagefind_version() -> str:
    out = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).strip()


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemTotal"))
    try:
        chromium = browser.chromium_version()
    except Exception:  # pragma: no cover
        chromium = "?"
    import material
    import mkdocs

    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=HERE.parent, capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit or "?",
        "nproc": os.cpu_count(),
        "ram_gb": round(mem / 1024**3, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "chromium": chromium,
        "mkdocs": mkdocs.__version__,
        "material": getattr(material, "__version__", _dist_version("mkdocs-material")),
        "pagefind": _pagefind_version(),
        "kernel": platform.release(),
    }


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


# --------------------------------------------------------------------------- tables


def _by(record: dict, engine: str) -> dict[str, dict]:
    return {r["query"]: r for r in record["results"] if r["engine"] == engine}


def _kb(value: float | None) -> str:
    return "—" if value is None else f"{value / 1024:,.1f}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _ratio(ours: float | None, peer: float | None) -> str:
    if not ours or not peer:
        return "—"
    return f"{ours / peer:.2f}"


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def _rank(result: dict | None, expect: list[str]) -> str:
    if not expect or result is None:
        return ""
    if result.get("error"):
        return "err"
    ranks = [result["top"].index(i) + 1 for i in expect if i in result["top"]]
    return f"#{min(ranks)}" if ranks else "✗"


def tables(record: dict, reference: dict | None = None) -> str:
    """Markdown for one size: build, sizes, per-query figures with ratios, and the bar."""
    n = record["count"]
    ours, material, pf, sizes = record["ours"], record["material"], record["pagefind"], record["sizes"]
    lines = [f"### {n:,} letters ({record['words']:,} words)", ""]
    lines.append(
        f"Load average before the builds: {record.get('load_before', '?')}; after the queries: "
        f"{record.get('load_after', '?')} (2 cores, shared)."
    )
    lines += ["", "| build stage | time (s) | peak RSS (MB) |", "|---|--:|--:|"]
    order = ["startup", "read", "normalize", "data", "render", "index (background)", "export (background)"]
    order += ["sitemap", "index", "export", "swap", "finish"]
    for stage in order + sorted(set(ours["stages"]) - set(order) - {"end"}):
        if stage in ours["stages"]:
            entry = ours["stages"][stage]
            lines.append(f"| {stage} | {entry['seconds']:.1f} | {entry['peak_rss'] / MB:,.0f} |")
    lines.append(
        f"| **whole build** (clean cache) | **{ours['seconds']:.1f}** | **{ours['peak_rss'] / MB:,.0f}** |"
    )
    rebuild = record["rebuild"]
    if rebuild:
        lines.append(
            f"| rebuild, nothing changed | {rebuild['seconds']:.1f} | {rebuild['peak_rss'] / MB:,.0f} |"
        )
    if material:
        lines.append(
            f"| peer: the same build with material `search` instead of ours | {material['seconds']:.1f} "
            f"| {material['peak_rss'] / MB:,.0f} |"
        )
    if pf:
        lines.append(
            f"| peer: Pagefind indexing the {sizes['letter_pages']:,} letter pages | {pf['seconds']:.1f} "
            f"| {pf['peak_rss'] / MB:,.0f} |"
        )
    if "largest_process" in ours:
        lines += [
            "",
            f"Whole-build peak: the larger of the process tree's memory sampled every 0.2 s (PSS summed:"
            f" {ours['sampled_peak'] / MB:,.0f} MB, {ours['sampled_peak_at']:.0f} s into the build) and the"
            f" kernel's high-water mark of its largest single process"
            f" ({ours['largest_process'] / MB:,.0f} MB).",
        ]
    lines += ["", "| size | files | MB on disk | MB as served (gzip) |", "|---|--:|--:|--:|"]
    lines.append(f"| site (all) | {sizes['site']['files']:,} | {sizes['site']['bytes'] / MB:,.1f} | |")
    lines.append(
        f"| our browser index `tim-kiem/` | {sizes['search_dir']['files']:,} | "
        f"{sizes['search_dir']['bytes'] / MB:,.1f} | {sizes['search_dir_wire'] / MB:,.1f} |"
    )
    lines.append(
        f"| our whoosh index (build cache, not published) | {sizes['whoosh']['files']:,} | "
        f"{sizes['whoosh']['bytes'] / MB:,.1f} | |"
    )
    if pf:
        lines.append(f"| Pagefind bundle | {pf['bundle']['files']:,} | {pf['bundle']['bytes'] / MB:,.1f} | |")
    if material and material.get("index_bytes"):
        lines.append(
            f"| material `search_index.json` | 1 | {material['index_bytes'] / MB:,.1f} | "
            f"{material['index_wire'] / MB:,.1f} |"
        )
    if sizes.get("sitemap_wire"):
        lines.append(
            f"| `sitemap.xml`, fetched by material's bundle on *every* page of the material peer "
            f"(not counted below) "
            f"| 1 | | {sizes['sitemap_wire'] / MB:,.2f} |"
        )
    engines = ["ours"] + (["pagefind"] if pf else []) + (["material"] if material else [])
    short = {"ours": "ours", "pagefind": "PF", "material": "mat"}
    peers_ = engines[1:]
    by = {engine: _by(record, engine) for engine in engines}
    head = ["query"] + [f"KB {short[e]}" for e in engines] + [f"cold ms {short[e]}" for e in engines]
    head += [f"warm ms {short[e]}" for e in engines]
    head += ["hits " + "/".join(short[e] for e in engines), "expected in top 10"]
    head += [f"ours÷{short[p]} KB/cold/warm" for p in peers_]
    lines += [
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] + ["--:"] * (3 * len(engines)) + ["---"] * (2 + len(peers_))) + "|",
    ]
    for query in record["queries"]:
        q = query["q"]
        rows = [by[e].get(q) for e in engines]
        cells = [("—" if not r else "err" if r.get("error") else _kb(r["cold_bytes"])) for r in rows]
        cells += [_ms(r["cold_ms"]) if r else "—" for r in rows]
        cells += [_ms(r["warm_ms"]) if r else "—" for r in rows]
        cells.append("/".join(str(r["hits"]) if r and r["hits"] is not None else "—" for r in rows))
        cells.append("/".join(_rank(r, query["expect"]) for r in rows) if query["expect"] else "")
        for peer in rows[1:]:
            cells.append(" / ".join(_ratio(rows[0] and rows[0][k], peer and peer[k]) for k in RATIO_KEYS))
        lines.append(f"| `{q}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| overall | " + " | ".join(engines) + " | " + " | ".join(f"ours÷{short[p]}" for p in peers_) + " |",
        "|---|" + "--:|" * (len(engines) + len(peers_)),
    ]
    for label, key, fn in [
        ("median cold KB", "cold_bytes", statistics.median),
        ("max cold KB", "cold_bytes", max),
        ("median cold ms", "cold_ms", statistics.median),
        ("max cold ms", "cold_ms", max),
        ("median warm ms", "warm_ms", statistics.median),
        ("max warm ms", "warm_ms", max),
    ]:
        values = {}
        for engine in engines:
            data = [r[key] for r in by[engine].values() if r.get(key) is not None and not r.get("error")]
            values[engine] = fn(data) if data else None
        cells = [_kb(values[e]) if "KB" in label else _ms(values[e]) for e in engines]
        cells += [_ratio(values["ours"], values[p]) for p in peers_]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    graded = record.get("relevance")
    scores = relevance.score(graded["queries"], graded["tops"]) if graded else None
    if graded:
        lines += ["", relevance.tables(graded["queries"], scores)]
    lines += ["", *bar_lines(record, reference, scores)]
    return "\n".join(lines)


RATIO_KEYS = ("cold_bytes", "cold_ms", "warm_ms")


def bar_lines(record: dict, reference: dict | None, scores: dict | None = None) -> list[str]:
    """Issues 5's and 17's targets, each met or missed, with the figure that decides it."""
    n = record["count"]
    mine = [r for r in record["results"] if r["engine"] == "ours"]
    errors = [r for r in mine if r.get("error")]
    worst_kb = max((r["cold_bytes"] for r in mine), default=0) / 1024
    warm = [r["warm_ms"] for r in mine if r["warm_ms"] is not None]
    worst_ms = max(warm) if warm else None
    build, peak = record["ours"]["seconds"], record["ours"]["peak_rss"] / 1024**3
    out = ["| target | figure | |", "|---|--:|---|"]
    if errors:
        out.append(f"| every query answered | {len(errors)} failed | **missed** |")
    if scores:
        ours_s = scores["ours"]
        known = ours_s["success1_known"]
        out.append(
            f"| success@1 = 100% on known-item queries | {known:.1%} of {ours_s['known']} "
            f"| {_mark(known == 1)} |"
        )
        if n < 100_000:
            out.append(
                f"| nDCG@10 ≥ {BAR['ndcg_10k']:.2f} | {ours_s['ndcg10']:.3f} | "
                f"{_mark(ours_s['ndcg10'] >= BAR['ndcg_10k'])} |"
            )
        if "pagefind" in scores:
            gap = ours_s["ndcg10"] - scores["pagefind"]["ndcg10"]
            out.append(
                f"| nDCG@10 ≥ Pagefind's + {BAR['ndcg_gap']:.2f} | {gap:+.3f} "
                f"| {_mark(gap >= BAR['ndcg_gap'])} |"
            )
    graded = record.get("relevance") or {}
    if graded.get("whoosh") and "ours" in graded.get("tops", {}):
        same, total = agreement.agreeing(graded["tops"]["ours"], graded["whoosh"])
        out.append(
            f"| the browser's first ten are whoosh's, in order | {same} of {total} queries "
            f"| {_mark(same == total)} |"
        )
    if n >= 100_000:
        out.append(
            f"| ≤ {BAR['cold_kb_100k']} KB cold per query (100k) | {worst_kb:,.1f} KB (worst) | "
            f"{_mark(worst_kb <= BAR['cold_kb_100k'] and not errors)} |"
        )
        if reference:
            ratio_t = build / reference["ours"]["seconds"]
            ratio_m = record["ours"]["peak_rss"] / reference["ours"]["peak_rss"]
            out.append(
                f"| build ≤ {BAR['build_ratio_100k']}× the 10k build | {ratio_t:.1f}× | "
                f"{_mark(ratio_t <= BAR['build_ratio_100k'])} |"
            )
            out.append(
                f"| peak memory ≤ {BAR['peak_ratio_100k']}× the 10k peak | {ratio_m:.2f}× | "
                f"{_mark(ratio_m <= BAR['peak_ratio_100k'])} |"
            )
        return out
    scope = "" if n == 10_000 else f" (the bar is set at 10,000; shown for {n:,})"
    out.append(
        f"| ≤ {BAR['cold_kb_10k']} KB cold, every query{scope} | {worst_kb:,.1f} KB (worst) | "
        f"{_mark(worst_kb <= BAR['cold_kb_10k'] and not errors)} |"
    )
    out.append(
        f"| ≤ {BAR['warm_ms_10k']} ms to results once the data is in{scope} | "
        f"{_ms(worst_ms)} ms (worst) | {_mark(worst_ms is not None and worst_ms <= BAR['warm_ms_10k'])} |"
    )
    out.append(
        f"| full build ≤ {BAR['build_s_10k']} s{scope} | {build:.1f} s | "
        f"{_mark(build <= BAR['build_s_10k'])} |"
    )
    out.append(
        f"| peak memory ≤ {BAR['peak_gb_10k']} GB{scope} | {peak:.2f} GB | "
        f"{_mark(peak <= BAR['peak_gb_10k'])} |"
    )
    return out


def machine_lines(info: dict) -> str:
    return (
        f"code at `{info.get('commit', '?')}`"
        + (
            " (`-dirty`: uncommitted edits in the tree)"
            if str(info.get("commit", "")).endswith("-dirty")
            else ""
        )
        + "; "
        f"{info['nproc']} cores ({info['cpu']}), {info['ram_gb']} GB RAM, Linux {info['kernel']}; "
        f"Python {info['python']}, MkDocs {info['mkdocs']}, mkdocs-material {info['material']}, "
        f"{info['pagefind']}, Chromium {info['chromium']}"
    )


def update_readme(text: str) -> None:
    """Replace the part of the README between the result markers."""
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    readme = README.read_text(encoding="utf-8")
    if start not in readme or end not in readme:
        raise RuntimeError(f"{README} has no {start} … {end} markers")
    before, rest = readme.split(start, 1)
    after = rest.split(end, 1)[1]
    README.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Đo hiệu năng: dựng trang, chỉ mục, tìm kiếm; so với Pagefind, material."
    )
    parser.add_argument("--sizes", default="1000,10000", help="số văn bản, cách nhau bằng dấu phẩy")
    parser.add_argument("--with-100k", action="store_true", help="thêm 100.000 văn bản (lâu)")
    parser.add_argument("--no-material", action="store_true", help="bỏ bản dựng có search của material")
    parser.add_argument(
        "--peers-at-100k",
        action="store_true",
        help="cả Pagefind và material ở 100.000 văn bản (mặc định bỏ: Pagefind cần ~25 GB RAM, "
        "search_index.json của material ~850 MB)",
    )
    parser.add_argument("--update-readme", action="store_true", help="ghi bảng vào benchmarks/README.md")
    parser.add_argument("--reuse", action="store_true", help="dùng lại kho và bản dựng của lần chạy trước")
    parser.add_argument("--tables-only", action="store_true", help="chỉ in lại bảng từ out/results-*.json")
    parser.add_argument(
        "--relevance-only", action="store_true", help="chỉ chạy bộ câu hỏi chấm điểm (dùng với --reuse)"
    )
    parser.add_argument(
        "--cold-ours-only",
        action="store_true",
        help="đo tải lần đầu và thời gian chỉ cho tìm kiếm của ta (bộ câu hỏi chấm điểm vẫn chạy cả ba)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.with_100k and 100_000 not in sizes:
        sizes.append(100_000)
    records: dict[int, dict] = {}
    for n in sizes:
        saved = OUT / f"results-{n}.json"
        if args.tables_only:
            records[n] = _with_current_expectations(json.loads(saved.read_text(encoding="utf-8")))
        else:
            huge = n >= 100_000 and not args.peers_at_100k
            records[n] = bench(
                n,
                skip_material=args.no_material or huge,
                skip_pagefind=huge,
                reuse=args.reuse,
                relevance_only=args.relevance_only,
                cold_ours_only=args.cold_ours_only,
            )
    parts = []
    for n in sizes:
        reference = records.get(10_000)
        if reference is None and n >= 100_000 and (OUT / "results-10000.json").exists():
            reference = json.loads((OUT / "results-10000.json").read_text(encoding="utf-8"))
        parts.append(tables(records[n], reference))
    first = records[sizes[0]]
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    text = (
        "\n\n".join(parts)
        + f"\n\nMachine: {machine_lines(first['machine'])}.\n\nCommand: `{command.strip()}`"
    )
    print(text)
    if args.update_readme:
        update_readme(text)


if __name__ == "__main__":
    main()
