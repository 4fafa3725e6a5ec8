"""The real snakemake keeps verified raw files whatever the mirror, the checksums manifest or the rule say later."""

from __future__ import annotations

import pytest

from tests.workflow.conftest import Workflow

pytestmark = pytest.mark.workflow

INDEX = "results/datasets/mnist/index.parquet"


def test_changed_mirror_checksums_or_rule_never_refetch_or_delete_raw_files(tmp_path, idx_mirror):
    mirror, manifest = idx_mirror
    config = {"seed": 0, "mirror": mirror.as_uri(), "checksums": str(manifest),
              "datasets": {"mnist": {"source": "mnist"}}}
    (tmp_path / "wf").mkdir()
    workflow = Workflow(tmp_path / "wf", config)
    workflow.run(INDEX)
    raw = sorted((workflow.folder / "results" / "raw" / "mnist").iterdir())
    before = {path: (path.stat().st_ino, path.read_bytes()) for path in raw}
    assert len(before) == 4
    assert not any(path.stat().st_mode & 0o222 for path in raw), "verified raw files are write-protected"

    moved = tmp_path / "moved"
    mirror.rename(moved)
    config |= {"mirror": f"{moved.as_uri()}/", "checksums": str(moved / manifest.name)}
    workflow.write_config(config)
    assert "fetch_raw" not in workflow.planned_jobs(INDEX), "where a file came from does not make it stale"
    workflow.run(INDEX)

    wrong = tmp_path / "WRONG_SHA256SUMS"
    listed = (moved / manifest.name).read_text()
    wrong.write_text(listed.replace(listed[:64], "0" * 64, 1))
    workflow.write_config(config | {"checksums": str(wrong)})
    assert "fetch_raw" not in workflow.planned_jobs(INDEX)
    refused = workflow.run(INDEX, check=False)
    assert refused.returncode != 0
    log = (workflow.folder / "results" / "logs" / "prepare_dataset" / "mnist.log").read_text()
    assert "SHA-256 mismatch" in log and "0" * 64 in log
    assert {path: (path.stat().st_ino, path.read_bytes()) for path in raw} == before

    rules = workflow.folder / "workflow" / "rules" / "data.smk"
    rules.write_text(rules.read_text().replace('    shell:\n        "', '    shell:\n        " ', 1))  # fetch_raw
    workflow.write_config(config)
    assert workflow.planned_jobs(INDEX)["fetch_raw"] == 4, "an edited rule reruns the job, on the kept files"
    workflow.run(INDEX)
    assert {path: (path.stat().st_ino, path.read_bytes()) for path in raw} == before
