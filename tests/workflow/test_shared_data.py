"""S1 on a subset of the real MNIST and Fashion-MNIST files of ../shared/data, fetched through the mirror."""

import pandas as pd
import pytest

from tests.conftest import SHARED_DATA
from tests.workflow.conftest import Workflow

SOURCES = ("mnist", "fashion-mnist")
MISSING = [source for source in SOURCES if not (SHARED_DATA / source).is_dir()]


@pytest.mark.workflow
@pytest.mark.skipif(bool(MISSING), reason=f"{SHARED_DATA} holds no {' or '.join(MISSING)} idx files to mirror")
def test_s1_on_real_mnist_and_fashion_mnist_through_the_mirror(tmp_path):
    config = {
        "seed": 0,
        # the shared copies of some image files were re-gzipped: their own manifest vouches for them
        "mirror": SHARED_DATA.as_uri(),
        "checksums": str(SHARED_DATA / "SHA256SUMS"),
        "datasets": {source: {"source": source, "max_train": 2000, "max_test": 500} for source in SOURCES},
        "s1": {
            "datasets": list(SOURCES),
            "extractors": {"pixels": {"kind": "pixels"}},
            "embeddings": {"methods": ["pca"], "max_points": 200},
            "classifiers": {"logreg": {"kind": "logistic_regression", "C": 0.1}, "knn": {"kind": "knn"}},
        },
    }
    workflow = Workflow(tmp_path, config)
    workflow.run("results/s1/table.csv")

    table = pd.read_csv(tmp_path / "results/s1/table.csv").set_index(["dataset", "classifier"])
    # 2,000 training images: pixels + k-NN / logistic regression land near 90% (MNIST), 75-80% (Fashion)
    assert table.loc[("mnist", "knn"), "accuracy"] > 0.85
    assert table.loc[("mnist", "logreg"), "accuracy"] > 0.85
    assert 0.65 < table.loc[("fashion-mnist", "knn"), "accuracy"] < 0.9
    assert table.loc[("fashion-mnist", "logreg"), "accuracy"] > 0.7
    for source in SOURCES:
        raw = tmp_path / "results/raw" / source
        assert sorted(p.name for p in raw.iterdir()) == sorted(p.name for p in (SHARED_DATA / source).iterdir())
