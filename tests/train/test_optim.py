import subprocess
import sys

import pytest
import torch

from dlrepro.train.engine import TrainConfig
from dlrepro.train.optim import build_optimizer, build_scheduler


@pytest.mark.parametrize(("name", "cls"), [("sgd", torch.optim.SGD), ("adam", torch.optim.Adam),
                                           ("adagrad", torch.optim.Adagrad)])
def test_optimizer_from_config(name, cls):
    model = torch.nn.Linear(3, 2)
    optimizer = build_optimizer(model, name, lr=0.5, weight_decay=0.01)
    assert isinstance(optimizer, cls)
    assert optimizer.param_groups[0]["lr"] == 0.5
    assert optimizer.param_groups[0]["weight_decay"] == 0.01


@pytest.mark.parametrize("name", ["sgd", "adam", "adagrad"])
def test_updating_all_parameters_together_gives_the_per_parameter_numbers(name):
    """build_optimizer asks for torch's foreach updates on the CPU too, for speed only: a run's
    numbers must be those of torch's default per-parameter loop, bit for bit."""
    def trained(optimizer_of):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(12, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
        optimizer = optimizer_of(model)
        inputs, targets = torch.randn(20, 12), torch.randint(0, 3, (20,))
        for _ in range(30):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(inputs), targets).backward()
            optimizer.step()
        return list(model.parameters())

    settings = {"lr": 0.01, "weight_decay": 0.001} | ({"momentum": 0.9} if name == "sgd" else {})
    ours = trained(lambda model: build_optimizer(model, name, **settings))
    assert ours[0].grad is not None and ours[0].grad.device.type == "cpu"
    torch_class = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adagrad": torch.optim.Adagrad}[name]
    looped = trained(lambda model: torch_class(model.parameters(), foreach=False, **settings))
    assert all(torch.equal(a, b) for a, b in zip(ours, looped))


def test_frozen_parameters_are_left_out():
    model = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 2))
    model[0].requires_grad_(False)
    optimizer = build_optimizer(model, "sgd", lr=0.1)
    assert sum(len(group["params"]) for group in optimizer.param_groups) == 2


def lrs(config, epochs):
    optimizer = build_optimizer(torch.nn.Linear(2, 2), config.optimizer, config.lr)
    scheduler = build_scheduler(optimizer, config.schedule, config.epochs, config.step_size, config.gamma)
    seen = []
    for _ in range(epochs):
        seen.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return seen


def test_step_schedule_divides_every_step_size_epochs():
    assert lrs(TrainConfig(lr=1.0, schedule="step", step_size=2, gamma=0.5), 5) == [1.0, 1.0, 0.5, 0.5, 0.25]


def test_cosine_schedule_anneals_towards_zero_over_the_run():
    seen = lrs(TrainConfig(lr=1.0, schedule="cosine", epochs=4), 5)
    assert seen[0] == 1.0 and seen[2] == pytest.approx(0.5) and seen[4] == pytest.approx(0.0, abs=1e-12)


def test_constant_schedule_keeps_the_rate():
    assert lrs(TrainConfig(lr=0.3), 3) == [0.3, 0.3, 0.3]


@pytest.mark.parametrize("field", ["optimizer", "schedule", "loss", "amp"])
def test_unknown_choice_is_rejected(field):
    with pytest.raises(ValueError, match=field):
        TrainConfig(**{field: "nonsense"})


def test_unknown_optimizer_and_schedule_names_are_rejected():
    with pytest.raises(ValueError, match="expected one of"):
        build_optimizer(torch.nn.Linear(2, 2), "rmsprop", lr=0.1)
    with pytest.raises(ValueError, match="expected one of"):
        build_scheduler(build_optimizer(torch.nn.Linear(2, 2), "sgd", lr=0.1), "linear", epochs=3)


def test_optim_does_not_import_the_engine():
    code = "import sys, dlrepro.train.optim; print('dlrepro.train.engine' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
