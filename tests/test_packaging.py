"""`pip install -e .`, as the README says, installs what the README's commands need: the test
extra must not be what makes them work."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import requires
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]

# a README command -> the extra of a distribution it needs beyond that distribution itself
README_NEEDS = {"snakemake --report": ("snakemake", "reports")}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(distribution: str, extra: str = "") -> set[str]:
    """Names of what ``distribution`` (with ``extra``) requires, on this platform."""
    found = set()
    for line in requires(distribution) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
            found.add(canonical(requirement.name))
    return found


def installed_with(names: set[str]) -> set[str]:
    """``names`` and everything they require, followed through the installed metadata."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += requirements(name)
    return seen


def test_readme_commands_need_only_the_package_dependencies():
    readme = (REPO / "README.md").read_text()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    installed = installed_with({canonical(Requirement(line).name) for line in project["dependencies"]})
    for command, (distribution, extra) in README_NEEDS.items():
        assert command in readme, f"README no longer runs {command!r}: update README_NEEDS"
        missing = (requirements(distribution, extra) - requirements(distribution)) - installed
        assert not missing, f"`{command}` needs {sorted(missing)}: add them to pyproject.toml's dependencies"
