from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner

from dlrepro.cli import main
from tests.data.test_facescrub import build_lists, host  # noqa: F401  (host is a fixture)


def test_fetch_then_prepare(host, tmp_path):  # noqa: F811
    listed = build_lists(host, tmp_path)
    runner = CliRunner()
    fetched = runner.invoke(main, ["facescrub", "fetch", "--list", str(listed), "--settings",
                                   json.dumps({"people": ["Ann A", "Bob B"], "faces_per_person": 3, "timeout": 0.2,
                                               "retries": 1, "backoff": 0}),
                                   "--raw-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "m.parquet")])
    assert fetched.exit_code == 0, fetched.output
    assert "list.txt:15: skipped (last row, the file is truncated" in fetched.output
    assert "kept {'Ann A': 3, 'Bob B': 2}" in fetched.output
    assert "'bbox outside the image': 1" in fetched.output and "'http 404': 1" in fetched.output
    assert "fewer than 3 usable faces for {'Bob B': 2}" in fetched.output
    prepared = runner.invoke(main, ["facescrub", "prepare", "--manifest", str(tmp_path / "m.parquet"),
                                    "--raw-dir", str(tmp_path / "raw"), "--dataset", "faces-8", "--settings",
                                    '{"datasets": {"faces-8": {"size": 8}}, "train_per_person": 1}',
                                    "--out", str(tmp_path / "ds")])
    assert prepared.exit_code == 0, prepared.output
    index = pd.read_parquet(tmp_path / "ds" / "index.parquet")
    assert sorted(index.loc[index["label"] == 0, "split"]) == ["test", "train", "val"]


def test_unknown_person_is_one_clear_error(host, tmp_path):  # noqa: F811
    listed = build_lists(host, tmp_path)
    result = CliRunner().invoke(main, ["facescrub", "fetch", "--list", str(listed), "--settings",
                                       '{"people": ["Nobody", "Bob B"]}', "--raw-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "m.parquet")])
    assert result.exit_code == 1
    assert "list.txt" in result.output and "Nobody" in result.output and "Ann A" in result.output
    assert "fix facescrub.people" in result.output
    assert not (tmp_path / "m.parquet").exists()
