import numpy as np
import pytest
import torch

from dlrepro.features.cnn import cnn_extractor
from dlrepro.io import InputError
from dlrepro.models.torchvision_nets import random_model

CPU = torch.device("cpu")


@pytest.mark.parametrize(
    ("arch", "layer", "size", "dim"),
    [
        ("resnet18", "avgpool", 32, 512),
        ("resnet18", "layer3", 32, 256),
        ("resnet18", "layer4", 64, 512),
        ("vgg19", "fc7", 32, 4096),
        ("vgg19", "features", 32, 512),
        ("alexnet", "conv4", 64, 256 * 3 * 3),
        ("alexnet", "fc7", 64, 4096),
    ],
)
def test_layer_gives_its_dimension(images, arch, layer, size, dim):
    features = cnn_extractor(arch, layer, "random", size, CPU, seed=0)(images[:3])
    assert features.shape == (3, dim) and features.dtype == np.float32
    assert np.isfinite(features).all()


def test_random_weights_follow_the_seed(images):
    same = [cnn_extractor("resnet18", "layer3", "random", 32, CPU, seed=1)(images) for _ in range(2)]
    other = cnn_extractor("resnet18", "layer3", "random", 32, CPU, seed=2)(images)
    np.testing.assert_array_equal(*same)
    assert not np.allclose(same[0], other)


def test_grayscale_is_replicated_to_three_channels(images):
    extractor = cnn_extractor("resnet18", "layer3", "random", 32, CPU, seed=0)
    np.testing.assert_array_equal(extractor(images), extractor(np.repeat(images, 3, axis=-1)))


def test_state_dict_file_reproduces_the_model(images, tmp_path):
    path = tmp_path / "resnet18.pt"
    torch.save(random_model("resnet18", seed=3).state_dict(), path)
    from_file = cnn_extractor("resnet18", "avgpool", str(path), 32, CPU, seed=0)(images)
    in_memory = cnn_extractor("resnet18", "avgpool", "random", 32, CPU, seed=3)(images)
    np.testing.assert_array_equal(from_file, in_memory)


def test_fine_tuned_checkpoint_with_another_head_loads(images, tmp_path):
    model = random_model("resnet18", seed=3)
    model.fc = torch.nn.Linear(512, 10)
    path = tmp_path / "finetuned.pt"
    torch.save({"model": model.state_dict(), "epoch": 4}, path)
    features = cnn_extractor("resnet18", "avgpool", str(path), 32, CPU, seed=0)(images)
    in_memory = cnn_extractor("resnet18", "avgpool", "random", 32, CPU, seed=3)(images)
    np.testing.assert_array_equal(features, in_memory)  # the head does not reach avgpool


def test_missing_weights_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.pt"
    with pytest.raises(InputError, match="nowhere.pt"):
        cnn_extractor("resnet18", "avgpool", str(missing), 32, CPU, seed=0)


def test_weights_of_another_arch_are_refused(tmp_path):
    path = tmp_path / "alexnet.pt"
    torch.save(random_model("alexnet", seed=0).state_dict(), path)
    with pytest.raises(ValueError, match=r"alexnet.pt does not fit resnet18: .*missing keys"):
        cnn_extractor("resnet18", "avgpool", str(path), 32, CPU, seed=0)


def test_unreadable_weights_file_is_named(tmp_path):
    path = tmp_path / "garbage.pt"
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="garbage.pt"):
        cnn_extractor("resnet18", "avgpool", str(path), 32, CPU, seed=0)


def test_imagenet_weights_are_read_from_torch_home(images, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    (tmp_path / "hub" / "checkpoints").mkdir(parents=True)
    torch.save(random_model("resnet18", seed=5).state_dict(), tmp_path / "hub/checkpoints/resnet18-f37072fd.pth")
    cached = cnn_extractor("resnet18", "avgpool", "imagenet", 32, CPU, seed=0)(images)
    expected = cnn_extractor("resnet18", "avgpool", "random", 32, CPU, seed=5)(images)
    np.testing.assert_array_equal(cached, expected)


def test_unusable_imagenet_checkpoint_says_how_to_supply_one(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    (tmp_path / "hub" / "checkpoints").mkdir(parents=True)
    (tmp_path / "hub/checkpoints/alexnet-owt-7be5be79.pth").write_bytes(b"truncated download")
    with pytest.raises(ValueError, match=r"alexnet-owt-7be5be79.pth into .*TORCH_HOME.*weights: <path"):
        cnn_extractor("alexnet", "fc7", "imagenet", 64, CPU, seed=0)


def test_too_small_images_are_refused():
    with pytest.raises(ValueError, match="alexnet up to fc7 cannot take 32x32"):
        cnn_extractor("alexnet", "fc7", "random", 32, CPU, seed=0)
