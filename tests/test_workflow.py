"""The pull-request workflow: workflow files are valid and call only real commands; a PR-like
change with an error is annotated on its line. Supply chain and set-up: actions pinned to commit
SHAs, zizmor clean, Dependabot configured, and the README's fresh-machine commands are what CI runs."""
from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from testpaths import REPO
from kummi.cli import cli
from test_check import kummi

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _kummi_calls(script: str):
    for line in script.splitlines():
        line = line.strip()
        if line.startswith("kummi "):
            yield shlex.split(line.split(">>")[0])[1:]


def test_workflows_parse_and_have_steps():
    assert WORKFLOWS
    for path in WORKFLOWS:
        doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert "on" in doc and doc["jobs"], path
        for name, job in doc["jobs"].items():
            assert "runs-on" in job, (path, name)
            for step in job["steps"]:
                assert ("uses" in step) != ("run" in step), (path, name, step)
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), (
                        f"{path.name}: {step['uses']} is not pinned to a full commit SHA"
                    )


def test_every_pinned_action_names_its_version():
    """`uses: owner/action@<sha> # vX.Y.Z`: the comment is what Dependabot updates and people read."""
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*(- )?uses:", line):
                assert re.search(r"@[0-9a-f]{40} # v\d+(\.\d+)*$", line), f"{path.name}: {line.strip()}"


def test_workflows_call_only_existing_commands_and_options():
    calls = []
    for path in WORKFLOWS:
        doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for job in doc["jobs"].values():
            for step in job["steps"]:
                calls.extend(_kummi_calls(step.get("run", "")))
    assert ["check", "--format", "github"] in calls and ["build"] in calls
    for args in calls:
        command = cli.commands[args[0]]
        known = {opt for p in command.params for opt in p.opts}
        for arg in args[1:]:
            if arg.startswith("-"):
                assert arg in known, f"kummi {args[0]} has no option {arg}"


def test_pre_commit_config_runs_kummi_check():
    doc = YAML(typ="safe").load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook["entry"] for repo in doc["repos"] for hook in repo["hooks"]]
    assert "kummi check" in entries
    for entry in entries:
        args = shlex.split(entry)
        assert args[0] == "kummi" and args[1] in cli.commands


def test_pull_request_change_with_error_is_annotated_on_its_line(course_copy):
    lesson = sorted((course_copy / "modules").glob("*/01-*.md"))[0]
    lines = lesson.read_text(encoding="utf-8").splitlines()
    lines.append("")
    lines.append("Lue lisää [täältä](99-ei-ole.md).")
    lesson.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = kummi("check", "--format", "github", cwd=course_copy)
    assert res.returncode == 1
    rel = lesson.relative_to(course_copy).as_posix()
    expected = f"::error file={rel},line={len(lines)},col=20,title=KM301::broken link: '99-ei-ole.md' is not a lesson"
    assert any(line.startswith(expected) for line in res.stdout.splitlines()), res.stdout


def test_dependabot_updates_every_pinned_ecosystem_weekly():
    doc = YAML(typ="safe").load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {u["package-ecosystem"]: u for u in doc["updates"]}
    assert set(updates) == {"github-actions", "pip", "npm"}
    for update in updates.values():
        assert update["directory"] == "/" and update["schedule"]["interval"] == "weekly"
        assert update["groups"], "minor and patch updates come grouped"


def test_zizmor_finds_nothing_of_high_severity():
    """zizmor (pinned in the test extra) audits .github offline: unpinned actions, template
    injection into run: scripts, credentials left in .git/config, excessive permissions, ..."""
    zizmor = Path(sys.executable).parent / ("zizmor.exe" if os.name == "nt" else "zizmor")
    assert zizmor.is_file(), f"{zizmor} is missing: install the test extra (tools/install-test-deps.sh)"
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    proc = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", "--strict-collection", "--format", "json",
         "--min-severity", "high", ".github"],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.stdout.strip(), proc.stderr
    findings = json.loads(proc.stdout)
    assert findings == [], "\n".join(_zizmor_finding(f) for f in findings)
    assert proc.returncode == 0, proc.stderr


def _zizmor_finding(finding: dict) -> str:
    where = finding["locations"][0]
    path = next(iter(where["symbolic"]["key"].values())).get("verbatim_path", "?")
    line = where["concrete"]["location"]["start_point"]["row"] + 1
    return f"{path}:{line}: {finding['ident']}: {finding['desc']}"


def _readme_fresh_machine_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## On a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_ci_runs_exactly_the_readme_test_command():
    build, test = _readme_fresh_machine_commands()
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == test
    # Both commands use the one virtual environment that tools/bootstrap.py makes.
    assert build.startswith("python3 tools/bootstrap.py && .venv/bin/")
    assert test.startswith("bash tools/install-test-deps.sh && .venv/bin/python ")
    deps = (REPO / "tools" / "install-test-deps.sh").read_text(encoding="utf-8")
    assert "python3 tools/bootstrap.py --test" in deps and "pip install" not in deps


def test_workflow_installs_with_the_bootstrap_script():
    runs = [step.get("run", "") for path in WORKFLOWS
            for job in YAML(typ="safe").load(path.read_text(encoding="utf-8"))["jobs"].values()
            for step in job["steps"]]
    assert any(run.startswith("python tools/bootstrap.py") for run in runs)
    for run in runs:
        assert "pip install -e" not in run and "-m pip install -c constraints.txt -e" not in run, run


def test_bootstrap_needs_only_the_standard_library():
    tree = ast.parse((REPO / "tools" / "bootstrap.py").read_text(encoding="utf-8"))
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert modules - {"__future__"} <= set(sys.stdlib_module_names), modules - set(sys.stdlib_module_names)


def test_tests_run_kummi_and_tools_with_the_test_interpreter():
    """A subprocess that runs `kummi`, `python3` or `mkdocs` from PATH may test another installation
    than the one in .venv: tests use [sys.executable, "-m", ...]."""
    offenders = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        if "fixtures" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""\[\s*["'](kummi|python3?|mkdocs|pytest|pip)["']\s*,""", line):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
