"""S12's bounds on S6's sweep: the weights file round-trips and every width becomes a measured row."""

import numpy as np
import pytest
import torch

from dlrepro.data.dataset import write_dataset
from dlrepro.io import InputError, write_csv
from dlrepro.train.bounds import measure_runs
from dlrepro.train.double_descent import load_network, load_subset, read_weights, run_sweep, write_weights
from dlrepro.train.engine import TrainConfig


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """A three-width S6 sweep on a toy dataset whose bright row says the class (nK = 20 x 3 = 60)."""
    tmp_path = tmp_path_factory.mktemp("s6")
    rng = np.random.default_rng(0)
    labels = np.arange(60) % 3
    images = rng.integers(0, 60, size=(60, 4, 4, 1), dtype=np.uint8)
    images[np.arange(60), labels, :, 0] = 250
    write_dataset(tmp_path / "toy", images, labels, np.where(np.arange(60) < 40, "train", "test"), ["a", "b", "c"])
    subset = load_subset(tmp_path / "toy", 20, seed=3)
    config = TrainConfig(epochs=30, batch_size=10, optimizer="sgd", lr=0.05, momentum=0.9, loss="squared", seed=3,
                         progress=False)
    table, _, networks = run_sweep(subset, [1, 2, 30], config, tmp_path / "runs")
    write_weights(networks, 20, 3, subset, tmp_path / "weights.pt")
    write_csv(table, tmp_path / "table.csv")
    return tmp_path, subset, table, networks


def test_sweep_weights_round_trip_bit_for_bit(sweep):
    folder, subset, _, networks = sweep
    saved = read_weights(folder / "weights.pt")
    assert (saved["n_train"], saved["seed"], saved["data"]) == (20, 3, subset.digest())
    for width, states in networks.items():
        for which in ("initial", "final"):
            model = load_network(saved, width, which, subset.in_features, subset.n_classes)
            assert all(torch.equal(model.state_dict()[name], value) for name, value in states[which].items())
    # training moved the weights: initial and final differ
    assert not torch.equal(networks[30]["initial"]["1.weight"], networks[30]["final"]["1.weight"])


def test_every_width_of_the_sweep_is_a_measured_row_with_its_gap(sweep):
    folder, _, table, _ = sweep
    measures = measure_runs([], [], None, None, 0, 0.1, (folder / "weights.pt", folder / "table.csv", folder / "toy"))
    assert list(measures["label"]) == ["H1", "H2", "H30"]
    assert set(measures["family"]) == {"S6"} and set(measures["dataset"]) == {"toy"}
    assert list(measures["parameters"]) == list(table["parameters"]) and set(measures["threshold"]) == {60}
    assert list(measures["gap"]) == pytest.approx(list(table["test_error"] - table["train_error"]))
    widest = measures.iloc[-1]
    assert widest["train_error"] == 0 and widest["margin"] > 0 and widest["bartlett"] > 0
    assert (measures["distance_from_init"] > 0).all()


def test_the_sweep_measured_on_other_data_is_one_clear_error(sweep, tmp_path):
    folder = sweep[0]
    other = tmp_path / "other"
    write_dataset(other, np.zeros((60, 4, 4, 1), np.uint8), np.arange(60) % 3,
                  np.where(np.arange(60) < 40, "train", "test"), ["a", "b", "c"])
    with pytest.raises(InputError, match="not the data .*weights.pt was trained on"):
        measure_runs([], [], None, None, 0, 0.1, (folder / "weights.pt", folder / "table.csv", other))
    (tmp_path / "broken.pt").write_bytes(b"not torch")
    with pytest.raises(InputError, match="broken.pt: not the weights of an S6 sweep"):
        read_weights(tmp_path / "broken.pt")
