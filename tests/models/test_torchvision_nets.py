import pytest
import torch

from dlrepro.io import InputError
from dlrepro.models.torchvision_nets import IMAGENET_MEAN, IMAGENET_STD, imagenet_input, load_cnn, replace_head


def test_random_weights_are_seeded_and_a_saved_state_dict_loads(tmp_path):
    model = load_cnn("resnet18", "random", seed=3)
    assert torch.equal(model.conv1.weight, load_cnn("resnet18", "random", seed=3).conv1.weight)
    torch.save(model.state_dict(), tmp_path / "w.pt")
    assert torch.equal(load_cnn("resnet18", str(tmp_path / "w.pt"), seed=9).conv1.weight, model.conv1.weight)


def test_a_state_dict_of_another_network_is_a_clear_error(tmp_path):
    torch.save(torch.nn.Linear(2, 2).state_dict(), tmp_path / "w.pt")
    with pytest.raises(ValueError, match="does not fit resnet18"):
        load_cnn("resnet18", str(tmp_path / "w.pt"))
    with pytest.raises(InputError, match="missing.pt not found"):
        load_cnn("resnet18", str(tmp_path / "missing.pt"))


@pytest.mark.parametrize("arch", ["resnet18", "alexnet"])
def test_new_head_has_the_dataset_classes(arch):
    model = load_cnn(arch, "random")
    head = replace_head(model, arch, 3)
    model.eval()
    assert head.out_features == 3
    assert model(torch.zeros(1, 3, 64, 64)).shape == (1, 3)


def test_imagenet_input_repeats_gray_and_standardises_each_channel():
    gray = torch.rand(2, 1, 5, 4)
    out = imagenet_input(gray)
    assert out.shape == (2, 3, 5, 4)
    for c in range(3):
        torch.testing.assert_close(out[:, c], (gray[:, 0] - IMAGENET_MEAN[c]) / IMAGENET_STD[c])
    rgb = torch.rand(2, 3, 5, 4)
    torch.testing.assert_close(imagenet_input(rgb)[:, 2], (rgb[:, 2] - IMAGENET_MEAN[2]) / IMAGENET_STD[2])
