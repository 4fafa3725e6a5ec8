import dataclasses
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import torch

from dlrepro.train.checkpoint import load_checkpoint
from dlrepro.train.engine import AMP_DTYPES, TrainConfig, evaluate, loss_value, train, train_config


def blobs(n: int, seed: int, flip: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Three linearly separable classes in 8-D: the label is the largest of the first 3 inputs."""
    x = torch.randn(n, 8, generator=torch.Generator().manual_seed(seed))
    y = x[:, :3].argmax(dim=1)
    return x, (2 - y if flip else y)


def mlp(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Dropout(0.3), torch.nn.Linear(32, 3))


def splits():
    return {"train": blobs(64, 1), "val": blobs(32, 2), "test": blobs(32, 3)}


def quiet(**settings) -> TrainConfig:
    return TrainConfig(progress=False, **settings)


def test_metrics_parquet_has_one_row_per_epoch(tmp_path):
    result = train(mlp(), splits(), quiet(epochs=3, batch_size=16, lr=0.1), tmp_path / "m.parquet")
    table = pd.read_parquet(tmp_path / "m.parquet")
    assert list(table["epoch"]) == [1, 2, 3]
    assert {"lr", "train_loss", "train_error", "val_loss", "val_error", "test_loss", "test_error", "time_s"} <= set(table)
    assert result.stop_reason == "max_epochs"
    assert table["train_loss"].iloc[-1] < table["train_loss"].iloc[0]


def test_two_runs_from_the_same_seed_are_identical(tmp_path):
    config = quiet(epochs=3, batch_size=16, lr=0.1)
    first = train(mlp(), splits(), config, tmp_path / "a.parquet").metrics.drop(columns="time_s")
    second = train(mlp(), splits(), config, tmp_path / "b.parquet").metrics.drop(columns="time_s")
    pd.testing.assert_frame_equal(first, second, check_exact=True)



def test_after_epoch_sees_the_weights_after_each_epoch(tmp_path):
    seen = {}
    model = mlp()
    train(model, splits(), quiet(epochs=3, batch_size=16, lr=0.1), tmp_path / "m.parquet",
          after_epoch=lambda net, epoch: seen.update({epoch: net[0].weight.detach().clone()}))
    assert list(seen) == [1, 2, 3]
    assert torch.equal(seen[3], model[0].weight) and not torch.equal(seen[1], seen[3])


def test_early_stopping_stops_and_restores_the_best_weights(tmp_path):
    # validation labels are the reverse of the training rule: fitting train makes val worse
    data = {"train": blobs(64, 1), "val": blobs(32, 2, flip=True)}
    config = quiet(epochs=50, batch_size=16, lr=0.1, patience=2)
    model = mlp()
    result = train(model, data, config, tmp_path / "m.parquet")
    assert result.stop_reason == "early_stopping"
    assert len(result.metrics) == result.best_epoch + 2 < 50
    best = result.metrics.set_index("epoch").loc[result.best_epoch, "val_loss"]
    assert evaluate(model, data["val"], config)[0] == pytest.approx(best)


def test_zero_training_error_stop_runs_the_extra_epochs(tmp_path):
    config = quiet(epochs=200, batch_size=16, lr=0.1, until_zero_train_error=True, extra_epochs=2)
    result = train(mlp(), splits(), config, tmp_path / "m.parquet")
    zero = int(result.metrics.loc[result.metrics["train_error"] == 0, "epoch"].min())
    assert result.stop_reason == "zero_train_error"
    assert len(result.metrics) == zero + 2 < 200


def test_gradient_clipping_bounds_the_step(tmp_path):
    config = quiet(epochs=1, batch_size=64, lr=1.0, momentum=0.0)
    steps = {}
    for clip in (None, 1e-3):
        model = mlp()
        before = torch.cat([p.detach().flatten().clone() for p in model.parameters()])
        train(model, {"train": blobs(64, 1)}, dataclasses.replace(config, clip_grad_norm=clip),
              tmp_path / f"{clip}.parquet")
        steps[clip] = (torch.cat([p.detach().flatten() for p in model.parameters()]) - before).norm().item()
    # one SGD step of rate 1 moves the weights by exactly the (clipped) gradient norm
    assert steps[1e-3] == pytest.approx(1e-3, rel=1e-4)
    assert steps[None] > 1e-2


def test_squared_loss_is_the_distance_to_the_one_hot_target():
    outputs = torch.tensor([[0.5, 0.0, 0.0], [0.0, 2.0, 1.0]])
    targets = torch.tensor([0, 1])
    assert loss_value("squared", outputs, targets).item() == pytest.approx((0.25 + 2.0) / 2)


def test_resume_refuses_a_checkpoint_of_other_settings(tmp_path):
    train(mlp(), splits(), quiet(epochs=1), tmp_path / "m.parquet", tmp_path / "ckpt.pt")
    with pytest.raises(ValueError, match="other settings"):
        train(mlp(), splits(), quiet(epochs=1, lr=0.5), tmp_path / "m.parquet", tmp_path / "ckpt.pt")


TRAIN_SCRIPT = """
import sys, time
import torch
sys.path.insert(0, {tests!r})
from train.test_engine import mlp, quiet, splits
from dlrepro.train.engine import train

def slowly(inputs):
    time.sleep(0.03)
    return inputs

train(mlp(), splits(), quiet(epochs=12, batch_size=16, lr=0.1), sys.argv[1], sys.argv[2],
      transform=slowly if sys.argv[3] == "slow" else None)
"""


def run_training(script: Path, folder: Path, speed: str) -> subprocess.Popen:
    folder.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, str(script), str(folder / "m.parquet"), str(folder / "ckpt.pt"), speed])


def test_a_killed_run_resumes_to_the_same_final_metrics(tmp_path):
    script = tmp_path / "train_tiny.py"
    script.write_text(TRAIN_SCRIPT.format(tests=str(Path(__file__).resolve().parents[1])))
    killed = run_training(script, tmp_path / "killed", "slow")
    checkpoint = tmp_path / "killed" / "ckpt.pt"
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and killed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    killed.send_signal(signal.SIGKILL)
    assert killed.wait() == -signal.SIGKILL
    stopped_at = load_checkpoint(checkpoint)["progress"]["epoch"]
    assert 1 <= stopped_at < 12

    assert run_training(script, tmp_path / "killed", "fast").wait() == 0
    assert run_training(script, tmp_path / "whole", "fast").wait() == 0
    resumed = pd.read_parquet(tmp_path / "killed" / "m.parquet").drop(columns="time_s")
    whole = pd.read_parquet(tmp_path / "whole" / "m.parquet").drop(columns="time_s")
    assert len(whole) == 12
    pd.testing.assert_frame_equal(resumed, whole, check_exact=True)


@pytest.mark.parametrize("amp", ["bf16", "fp16"])
def test_mixed_precision_on_the_cpu_gives_finite_losses_and_a_model_that_learns(tmp_path, amp):
    model = mlp()
    dtypes = set()
    model[0].register_forward_hook(lambda module, inputs, output: dtypes.add(output.dtype))
    config = quiet(epochs=15, batch_size=16, lr=0.1, amp=amp, amp_on_cpu=True, device="cpu")
    metrics = train(model, splits(), config, tmp_path / "m.parquet").metrics
    assert dtypes == {AMP_DTYPES[amp]}
    assert metrics[["train_loss", "test_loss"]].notna().all().all()
    assert metrics["train_loss"].iloc[-1] < 0.5 * metrics["train_loss"].iloc[0]
    assert metrics["test_error"].iloc[-1] < 0.2


def test_mixed_precision_stays_off_on_the_cpu_unless_asked(tmp_path):
    model = mlp()
    dtypes = set()
    model[0].register_forward_hook(lambda module, inputs, output: dtypes.add(output.dtype))
    train(model, splits(), quiet(epochs=1, amp="bf16", device="cpu"), tmp_path / "m.parquet")
    assert dtypes == {torch.float32}


def test_an_objective_replaces_the_loss_and_reports_its_scalars(tmp_path):
    """The objective's loss is what trains (here flipped labels), its scalars become train_<name>
    columns averaged over the epoch's samples; evaluation still scores model(inputs) on true labels."""
    calls = []

    def flipped(model, inputs, targets):
        calls.append(len(targets))
        return loss_value("cross_entropy", model(inputs), 2 - targets), {"batch": float(len(targets))}

    data = {"train": blobs(40, 1)}
    result = train(mlp(), data, quiet(epochs=30, batch_size=16, lr=0.1), tmp_path / "m.parquet", objective=flipped)
    assert sum(calls) == 30 * 40
    # batches of 16, 16 and 8: the per-sample mean of the batch sizes is (16*16 + 16*16 + 8*8) / 40
    assert result.metrics["train_batch"].tolist() == pytest.approx([14.4] * 30)
    # it learned the flipped labels (class 1 stays 1, the others swap), not the true ones
    assert result.metrics["train_error"].iloc[-1] > 0.5


def test_train_config_takes_the_training_keys_of_a_section_and_the_fixed_ones_last():
    section = {"epochs": 7, "lr": 0.5, "optimizer": "adam", "widths": [4, 8], "arch": "resnet18", "max_epochs": 99}
    config = train_config(section, seed=3, lr=0.25)
    assert (config.epochs, config.lr, config.optimizer, config.seed) == (7, 0.25, "adam", 3)
    assert config.momentum == TrainConfig().momentum
    with pytest.raises(ValueError, match="optimizer"):
        train_config({"optimizer": "lbfgs"})
