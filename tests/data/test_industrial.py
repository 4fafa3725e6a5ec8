import tarfile

import numpy as np

from dlrepro.data.industrial import add_defects, generate_panel, render_die, write_standin_dies
from dlrepro.data.manifest import read_manifest


def test_a_bad_die_differs_from_its_good_die_exactly_where_the_defect_is():
    for seed in range(5):
        rng = np.random.default_rng(seed)
        good = render_die(48, rng)
        bad, mask = add_defects(good, rng)
        assert mask.any() and not mask.all()
        assert (bad[~mask] == good[~mask]).all()
        assert np.abs(bad[mask].astype(int) - good[mask].astype(int)).mean() > 40


def test_standin_dies_are_a_class_per_folder_archive_with_its_manifest(tmp_path):
    counts = write_standin_dies(tmp_path / "d.tar", tmp_path / "SUMS", good=6, bad=5, size=32, seed=1)
    with tarfile.open(tmp_path / "d.tar") as tar:
        names = tar.getnames()
    assert counts == {"good": 6, "bad": 5} and len(names) == 11
    assert sorted(read_manifest(tmp_path / "SUMS")) == sorted(names)
    first = (tmp_path / "d.tar").read_bytes()
    write_standin_dies(tmp_path / "d.tar", tmp_path / "SUMS", good=6, bad=5, size=32, seed=1)
    assert (tmp_path / "d.tar").read_bytes() == first


def test_panel_has_its_columns_and_a_known_signal():
    panel = generate_panel(days=60, assets=10, features=12, seed=3)
    assert list(panel.columns[:3]) == ["date", "asset", "f000"] and panel.shape == (600, 2 + 12 + 2)
    assert panel["date"].nunique() == 60
    linear_corr = np.corrcoef(panel["target"], panel["linear_prediction"])[0, 1]
    assert 0.1 < linear_corr < 0.5
    assert generate_panel(days=60, assets=10, features=12, seed=3).equals(panel)
