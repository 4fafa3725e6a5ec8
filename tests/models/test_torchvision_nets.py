import pytest
import torch

from dlrepro.models.torchvision_nets import build, replace_head


def test_random_weights_are_seeded_and_a_saved_state_dict_loads(tmp_path):
    model = build("resnet18", "random", seed=3)
    assert torch.equal(model.conv1.weight, build("resnet18", "random", seed=3).conv1.weight)
    torch.save(model.state_dict(), tmp_path / "w.pt")
    assert torch.equal(build("resnet18", str(tmp_path / "w.pt"), seed=9).conv1.weight, model.conv1.weight)


def test_a_state_dict_of_another_network_is_a_clear_error(tmp_path):
    torch.save(torch.nn.Linear(2, 2).state_dict(), tmp_path / "w.pt")
    with pytest.raises(ValueError, match="not a resnet18 state_dict"):
        build("resnet18", str(tmp_path / "w.pt"))
    with pytest.raises(FileNotFoundError):
        build("resnet18", str(tmp_path / "missing.pt"))


@pytest.mark.parametrize("arch", ["resnet18", "alexnet"])
def test_new_head_has_the_dataset_classes(arch):
    model = build(arch, "random")
    head = replace_head(model, arch, 3)
    model.eval()
    assert head.out_features == 3
    assert model(torch.zeros(1, 3, 64, 64)).shape == (1, 3)
