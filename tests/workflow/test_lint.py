"""`snakemake --lint` is clean, and every command rule takes its cluster requests from the config."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from .conftest import REPO, Workflow

DEFAULT_CONFIG = yaml.safe_load((REPO / "config.yaml").read_text())
PAPER = yaml.safe_load((REPO / "workflow" / "presets" / "paper.yaml").read_text())


@pytest.mark.parametrize(
    "config",
    [DEFAULT_CONFIG, DEFAULT_CONFIG | {"facescrub": PAPER["facescrub"]}],
    ids=["default", "with-facescrub"],
)
def test_lint_is_clean(tmp_path, config):
    result = Workflow(tmp_path, config).run("--lint", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Congratulations" in result.stdout + result.stderr


def command_rules() -> dict[str, str]:
    """Rule name -> its block, for every rule that runs a command (target-only rules run nothing)."""
    blocks = {}
    for path in (REPO / "workflow" / "rules").glob("*.smk"):
        for block in re.split(r"^(?=rule )", path.read_text(), flags=re.MULTILINE)[1:]:
            if re.search(r"^    (shell|run|script):", block, flags=re.MULTILINE):
                blocks[re.match(r"rule (\w+)", block)[1]] = block
    return blocks


def test_every_command_rule_takes_its_requests_from_config():
    """One place to tune runtime and memory: config.yaml's resources lists every command rule,
    and each rule asks rule_resources for its own name (a copied block keeps the wrong name)."""
    rules = command_rules()
    assert {"prepare_dataset", "extract_features", "s5_fit", "s6_sweep", "report"} <= set(rules)
    for name, block in rules.items():
        assert f'**rule_resources("{name}"' in block, f"rule {name}: add resources: **rule_resources(\"{name}\")"
    assert set(DEFAULT_CONFIG["resources"]) - {"default"} == set(rules)



def test_rule_files_are_formatted():
    """snakefmt (configured in pyproject.toml) leaves the Snakefile and every rule file unchanged."""
    result = subprocess.run(
        [sys.executable, "-m", "snakefmt", "--check", "Snakefile", "workflow/rules"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_command_rule_logs_both_streams_and_benchmarks():
    """A job's log keeps what its command prints on stdout and stderr; its benchmark file sits at
    the log's path under results/benchmarks/."""
    for name, block in command_rules().items():
        assert block.rstrip().endswith('> {log} 2>&1"'), f"rule {name}: end its shell with > {{log}} 2>&1"
        log = re.search(r'^    log:\n        "results/logs/(.*)\.log"', block, flags=re.MULTILINE)
        assert log, f"rule {name}: log under results/logs/"
        assert f'    benchmark:\n        "results/benchmarks/{log[1]}.tsv"' in block, f"rule {name}: benchmark"
