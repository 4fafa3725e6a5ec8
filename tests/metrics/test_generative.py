"""S8's sample-quality scores on inputs whose value is known."""

import numpy as np
import pytest
import torch
from torch import nn

from dlrepro.metrics.generative import diversity_score, frechet_distance, inception_score, pairwise_ms_ssim


class Confident(nn.Module):
    """A classifier sure of one class per image: the class is the image's first pixel (0..K-1)."""

    def __init__(self, classes: int):
        super().__init__()
        self.classes = classes
        self.num_features = 4

    def forward(self, x):
        return 50.0 * nn.functional.one_hot(x[:, 0, 0, 0].long(), self.classes).float()

    def features(self, x):
        return x.flatten(1)[:, :4]


def labelled_images(labels):
    images = torch.rand(len(labels), 1, 8, 8)
    images[:, 0, 0, 0] = torch.as_tensor(labels, dtype=torch.float32)
    return images


def test_inception_score_of_a_confident_classifier_over_uniform_classes_is_the_class_count():
    images = labelled_images(np.arange(200) % 10)
    score, _ = inception_score(Confident(10), images, splits=1)
    assert score == pytest.approx(10.0, rel=1e-4)
    collapsed, _ = inception_score(Confident(10), labelled_images(np.zeros(200)), splits=1)
    assert collapsed == pytest.approx(1.0, rel=1e-4)


def test_diversity_score_is_one_for_the_real_class_frequencies_and_lower_for_one_class():
    images = labelled_images(np.arange(100) % 4)
    assert diversity_score(Confident(4), images, np.full(4, 0.25)) == pytest.approx(1.0, abs=1e-6)
    assert diversity_score(Confident(4), labelled_images(np.zeros(100)), np.full(4, 0.25)) == pytest.approx(0.25, rel=1e-3)


def test_frechet_distance_of_a_set_with_itself_is_about_zero_and_grows_with_a_shift():
    torch.manual_seed(0)
    images = torch.rand(300, 1, 8, 8)
    assert abs(frechet_distance(Confident(2), images, images)) < 1e-3
    assert frechet_distance(Confident(2), images, images + 1.0) == pytest.approx(4.0, rel=1e-2)  # 4 features moved by 1


def test_ms_ssim_of_identical_images_is_one_and_of_noise_near_zero():
    image = torch.rand(1, 1, 16, 16)
    assert pairwise_ms_ssim(image.repeat(5, 1, 1, 1), pairs=20) == pytest.approx(1.0, abs=1e-6)
    assert pairwise_ms_ssim(torch.rand(50, 1, 16, 16), pairs=50) < 0.2


def test_ms_ssim_names_the_setting_when_images_are_too_small():
    with pytest.raises(ValueError, match="s8.metrics.ms_ssim_sigma"):
        pairwise_ms_ssim(torch.rand(4, 1, 8, 8), pairs=2, sigma=1.5)


def test_inception_v3_from_a_weights_file_scores_probabilities_and_2048_features(tmp_path):
    import torchvision

    from dlrepro.metrics.generative import InceptionV3

    torch.manual_seed(0)
    weights = tmp_path / "inception.pth"
    torch.save(torchvision.models.inception_v3(weights=None, init_weights=False).state_dict(), weights)
    network = InceptionV3(weights)
    images = torch.rand(4, 1, 16, 16)
    assert network(images).shape == (4, 1000) and network.features(images).shape == (4, 2048)
    score, _ = inception_score(network, images, splits=1)
    assert 1.0 <= score <= 4.0  # at most the number of images
    assert abs(frechet_distance(network, images, images)) < 1e-2
