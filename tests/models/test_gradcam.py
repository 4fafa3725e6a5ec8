import torch

from dlrepro.models.gradcam import grad_cam
from dlrepro.models.torchvision_nets import load_cnn


def test_grad_cam_maps_have_the_image_size_and_lie_in_0_1():
    model = load_cnn("resnet18", "random", seed=0)
    inputs = torch.randn(3, 3, 40, 40)
    maps = grad_cam(model, "layer3", inputs, torch.tensor([0, 1, 2]), (40, 40))
    assert maps.shape == (3, 40, 40)
    assert maps.min() >= 0 and maps.max() <= 1 + 1e-6
    assert all(float(m.max()) in (0.0, 1.0) or abs(float(m.max()) - 1) < 1e-6 for m in maps)
    assert model.training and model.relu.inplace  # the caller's model is left as it was
