"""envs/<family>.yaml stay in step with pyproject.toml and hold what their rules' commands import."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml

from dlrepro.cli import STAGES

REPO = Path(__file__).resolve().parents[2]
ENV_FILES = sorted((REPO / "envs").glob("*.yaml"))


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {canonical(name): version for name, version in (dep.split("==") for dep in project["dependencies"])}


def env_pins(path: Path) -> dict[str, str]:
    dependencies = yaml.safe_load(path.read_text())["dependencies"]
    pip = next(entry["pip"] for entry in dependencies if isinstance(entry, dict))
    return {canonical(name): version for name, version in (line.split("==") for line in pip)}


def rule_commands() -> dict[str, tuple[str, str, str | None]]:
    """Rule name -> (env family, dlrepro stage, its subcommand or None), read from the rule files."""
    commands = {}
    for path in (REPO / "workflow" / "rules").glob("*.smk"):
        for block in re.split(r"^(?=rule )", path.read_text(), flags=re.MULTILINE)[1:]:
            family = re.search(r'conda:\s+ENVS\["(\w+)"\]', block)
            command = re.search(r'shell:\s+"dlrepro ([\w-]+)(?: ([a-z][\w-]*))?', block)
            if command:
                commands[re.match(r"rule (\w+)", block)[1]] = (family and family[1], command[1], command[2])
    return commands


def command_imports(module: str, subcommand: str | None) -> list[str]:
    """Modules a CLI command imports: its module's top-level imports, plus, for a subcommand of a
    group, the imports inside that subcommand's function (the CLI imports lazily, per command)."""
    tree = ast.parse(Path(importlib.util.find_spec(module).origin).read_text())
    nodes = list(tree.body)
    if subcommand:
        function = next(
            node for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and any(isinstance(arg, ast.Constant) and arg.value == subcommand
                    for decorator in node.decorator_list if isinstance(decorator, ast.Call) for arg in decorator.args)
        )
        nodes += list(ast.walk(function))
    else:
        nodes = list(ast.walk(tree))
    return [name for node in nodes for name in imported_names(node, module.rpartition(".")[0])]


def imported_names(node: ast.AST, package: str) -> list[str]:
    """What an import statement names: modules, and for `from m import x` both m and m.x."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
        return [base] + [f"{base}.{alias.name}" for alias in node.names]
    return []


def third_party_imports(names: list[str]) -> set[str]:
    """Top-level non-dlrepro, non-stdlib modules among ``names`` and everything (also inside
    functions) the dlrepro modules among them import, followed recursively."""
    seen, todo, found = set(), list(names), set()
    while todo:
        name = todo.pop()
        top = name.partition(".")[0]
        if top != "dlrepro":
            if top and top not in sys.stdlib_module_names:
                found.add(top)
            continue
        if name in seen:
            continue
        seen.add(name)
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # `from dlrepro.x import f`: f is no module
            continue
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            continue
        package = name if spec.submodule_search_locations else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(Path(spec.origin).read_text())):
            todo += imported_names(node, package)
    return found


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: p.stem)
def test_env_pins_equal_pyproject(path):
    pins, wanted = env_pins(path), pyproject_pins()
    differing = {name: (version, wanted.get(name)) for name, version in pins.items() if wanted.get(name) != version}
    assert not differing, f"{path.name}: (env, pyproject) versions differ: {differing}"
    python = next(dep for dep in yaml.safe_load(path.read_text())["dependencies"] if str(dep).startswith("python="))
    assert python == f"python={sys.version_info.major}.{sys.version_info.minor}"
    post_deploy = path.with_name(f"{path.stem}.post-deploy.sh")
    assert post_deploy.resolve() == REPO / "envs" / "install-dlrepro.sh", f"{post_deploy} must link install-dlrepro.sh"


def test_every_rule_command_finds_its_imports_in_its_env():
    commands = rule_commands()
    assert {"prepare_dataset", "extract_features", "s5_fit", "s6_sweep", "report"} <= set(commands)
    distributions = packages_distributions()
    for rule, (family, stage, subcommand) in sorted(commands.items()):
        assert family, f"rule {rule} has no conda: ENVS[...]"
        pins = env_pins(REPO / "envs" / f"{family}.yaml")
        modules = third_party_imports(command_imports(STAGES[stage][0], subcommand))
        needed = {canonical(dist) for module in modules for dist in distributions[module]}
        assert needed <= set(pins), (
            f"rule {rule} runs `dlrepro {stage} {subcommand or ''}`, which imports {sorted(needed - set(pins))}, "
            f"missing from envs/{family}.yaml"
        )
