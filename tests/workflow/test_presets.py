"""The paper-scale preset plans the full-size studies; config.yaml plans without any one study."""

import re

import pytest
import yaml

from tests.workflow.conftest import REPO, Workflow


def test_paper_preset_plans_the_full_size_studies(tmp_path):
    workflow = Workflow(tmp_path, yaml.safe_load((REPO / "config.yaml").read_text()))
    plan = workflow.run("--configfile", "workflow/presets/paper.yaml", "--dry-run", "--quiet", "rules").stdout
    jobs = {rule: int(count) for rule, count in re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE)}
    # MNIST and Fashion-MNIST have 4 raw files each, CIFAR-10 one archive; digits stays from config.yaml
    assert jobs["fetch_raw"] == 9 and jobs["prepare_dataset"] == 4
    # 3 datasets x 6 extractors for S1, plus config.yaml's 2 S2 extractors on the generated drawings
    assert jobs["extract_features"] == 3 * 6 + 2 and jobs["s1_finetune_cnn"] == 3 * 2
    assert jobs["s1_fit_classifier"] == 3 * 6 * 6
    assert jobs["s6_sweep"] == 1 and jobs["s5_summarise"] == 1


@pytest.mark.parametrize("study", ["s1", "s2", "s5", "s6"])
def test_config_yaml_without_a_study_plans_the_others(tmp_path, study):
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    del config[study]
    plan = Workflow(tmp_path, config).run("--dry-run", "--quiet", "rules").stdout
    rules = set(re.findall(r"^(\w+) +\d+$", plan, flags=re.MULTILINE))
    assert "report" in rules and not any(study in rule.split("_") for rule in rules)
