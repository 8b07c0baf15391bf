"""The GitHub Actions workflow: it parses, has the jobs the issue asks for, and runs
the same commands the README names (and .ci/run runs the same test command)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from builder.cli import main as cli

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
ON_MAIN = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def _workflow() -> dict:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def _commands(script: str) -> list[str]:
    """Shell commands of a script: one per line or per `&&`, comments dropped."""
    commands = []
    for line in script.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line)
        commands += [part.strip() for part in line.split("&&") if part.strip()]
    return commands


def readme_commands() -> list[str]:
    """The commands of the README's first code block."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```[\w-]*\n(.*?)^```", text, re.S | re.M)
    assert block, "README.md has no code block"
    return _commands(block.group(1))


def readme_test_command() -> str:
    tests = {command for command in readme_commands() if "pytest" in command}
    assert len(tests) == 1, f"README should name one test command, names {tests}"
    return tests.pop()


def _steps(job: str) -> list[dict]:
    return _workflow()["jobs"][job]["steps"]


def _runs(job: str) -> list[str]:
    return [command for step in _steps(job) for command in _commands(step.get("run", ""))]


def _index(steps: list[dict], predicate) -> int:
    matches = [i for i, step in enumerate(steps) if predicate(step)]
    assert matches, "step not found"
    return matches[0]


def test_triggers_and_workflow_permissions() -> None:
    workflow = _workflow()
    assert "pull_request" in workflow["on"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}  # write access only where it deploys


def test_concurrency_so_two_pushes_do_not_race() -> None:
    workflow = _workflow()
    assert "github.ref" in workflow["concurrency"]["group"]
    deploy = workflow["jobs"]["deploy"]["concurrency"]
    assert deploy["group"] and deploy["cancel-in-progress"] is False


def test_build_job_checks_tests_builds_and_uploads_in_order() -> None:
    steps = _steps("build")
    runs = _runs("build")
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    pip_cached = any(
        (u.startswith("actions/setup-python@") and step.get("with", {}).get("cache") == "pip")
        or (u.startswith("actions/cache@") and ".cache/pip" in step.get("with", {}).get("path", ""))
        for u, step in zip(uses, steps, strict=True)
    )
    assert pip_cached, "pip downloads are not cached"
    apt = next(c for c in runs if c.startswith("apt-get install"))
    assert {"chromium", "nginx", "nodejs"} <= set(shlex.split(apt))
    assert "pip install -e '.[test]'" in runs

    def run_has(command: str):
        return lambda step: command in _commands(step.get("run", ""))

    check = _index(steps, run_has("vanban check"))
    tests = _index(steps, run_has(readme_test_command()))
    build = _index(steps, run_has("vanban build"))
    preview = _index(steps, lambda s: s.get("uses", "").startswith("actions/upload-artifact@"))
    assert check < tests < build < preview
    assert steps[preview]["with"]["path"].rstrip("/") == "site"
    pages = _index(steps, lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages > build and steps[pages]["if"] == ON_MAIN
    assert steps[pages]["with"]["path"].rstrip("/") == "site"
    # The published address reaches the build (absolute URLs in feed, sitemap, open data).
    configure = _index(steps, lambda s: s.get("uses", "").startswith("actions/configure-pages@"))
    assert configure < build and steps[configure]["if"] == ON_MAIN
    site_url = steps[build]["env"]["SITE_URL"]
    assert f"steps.{steps[configure]['id']}.outputs.base_url" in site_url
    assert _workflow()["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    # Annotations need GITHUB_ACTIONS=true, which Actions sets; nothing may turn it off.
    assert "GITHUB_ACTIONS" not in str(_workflow())


def test_deploy_job_uses_the_official_pages_actions() -> None:
    deploy = _workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["if"] == ON_MAIN
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "steps.deployment.outputs.page_url" in deploy["environment"]["url"]
    uses = [step.get("uses", "").split("@")[0] for step in deploy["steps"]]
    assert uses == ["actions/deploy-pages"]
    assert deploy["steps"][-1]["id"] == "deployment"


def test_ci_and_workflow_run_the_readme_commands() -> None:
    test_command = readme_test_command()
    assert test_command in _runs("build")
    ci = _commands((REPO / ".ci" / "run").read_text(encoding="utf-8"))
    assert test_command in ci, f".ci/run does not run the README's test command {test_command!r}"
    installs = [c for c in readme_commands() if c.startswith("pip install")]
    assert installs and all(c in _runs("build") for c in installs)


def test_every_vanban_command_of_the_workflow_exists() -> None:
    used = {shlex.split(c)[1] for c in _runs("build") if c.startswith("vanban ")}
    assert {"check", "build"} <= used
    missing = used - set(cli.commands)
    assert not missing, f"the workflow runs vanban commands that do not exist: {sorted(missing)}"


def test_check_prints_annotations_github_can_place(tmp_path: Path) -> None:
    """Under GitHub Actions a bad letter becomes an ::error line naming the file as committed."""
    from conftest import make_project

    project = make_project(tmp_path / "project", letters={"2021/hong.txt": b"\x00\x01\x02binary"})
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"GITHUB_ACTIONS": "true"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^::error file=content/2021/hong\.txt,line=\d+::\S", result.stdout, re.M), result.stdout
    assert "content/2021/hong.txt:" in result.stderr


# --- current, pinned actions (issue 19) ----------------------------------------------------------

NODE24_RELEASES = {
    # action: (commit, version) — each checked against the action's repository: the tag's commit,
    # and `runs.using: node24` in its action.yml (upload-pages-artifact is composite and runs
    # upload-artifact v7, itself node24). Node 20 left GitHub's runners in September 2026.
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/cache": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "actions/configure-pages": ("45bfe0192ca1faeb007ade9deae92b16b8254a0d", "v6.0.0"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
}


def _uses_lines() -> list[tuple[str, str, str]]:
    """(action, ref, comment) of every `uses:` line, as written."""
    lines = re.findall(r"^\s*(?:-\s*)?uses:\s*([^@\s]+)@(\S+)\s*(?:#\s*(.*))?$", WORKFLOW.read_text(), re.M)
    assert lines, "no action in the workflow"
    return lines


def test_every_action_is_pinned_to_a_known_node24_release() -> None:
    for action, ref, comment in _uses_lines():
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action}@{ref} is not pinned to a commit"
        assert action in NODE24_RELEASES, f"{action} is not a checked release"
        commit, version = NODE24_RELEASES[action]
        assert (ref, comment.split()[0] if comment else "") == (commit, version), action


def test_checkout_leaves_no_token_behind() -> None:
    for job in _workflow()["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_the_build_cache_and_the_last_site_are_kept_between_runs() -> None:
    steps = _steps("build")
    build = _index(steps, lambda s: "vanban build" in _commands(s.get("run", "")))
    cache = _index(
        steps,
        lambda s: s.get("uses", "").startswith("actions/cache@") and ".cache/vanban" in s["with"]["path"],
    )
    assert cache < build
    paths = steps[cache]["with"]["path"].split()
    assert paths == [".cache/vanban", "site"]
    assert "github.run_id" in steps[cache]["with"]["key"], "a key per run: cache entries are immutable"
    assert "vanban-build-main-" in steps[cache]["with"]["restore-keys"]


def test_zizmor_finds_nothing_and_ci_runs_it() -> None:
    ci = _commands((REPO / ".ci" / "run").read_text(encoding="utf-8"))
    assert any(c.startswith("zizmor ") for c in ci)
    command = next(c for c in ci if c.startswith("zizmor "))
    result = subprocess.run(shlex.split(command), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
