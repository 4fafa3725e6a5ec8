"""The generated STAND-IN faces of S3's embedded default."""

import numpy as np

from dlrepro.data.faces import FACES_PER_PERSON, PEOPLE, stand_in_faces


def test_six_people_split_per_person_like_facescrub():
    images, labels, split, classes = stand_in_faces(28, 1, seed=0)
    assert classes == list(PEOPLE) and len(classes) == 6
    assert images.shape == (6 * FACES_PER_PERSON, 28, 28, 1) and images.dtype == np.uint8
    for label in range(6):
        counts = dict(zip(*np.unique(split[labels == label], return_counts=True)))
        assert counts == {"train": 24, "val": 8, "test": 8}


def test_every_size_draws_the_same_faces():
    small, labels, split, _ = stand_in_faces(28, 1, seed=3)
    large, labels_rgb, split_rgb, _ = stand_in_faces(64, 3, seed=3)
    assert large.shape[1:] == (64, 64, 3)
    assert (labels == labels_rgb).all() and (split == split_rgb).all()
    # the RGB faces, in gray and averaged down to 32 px, match the 28 px ones far better than other faces do
    gray = large.astype(float) @ [0.299, 0.587, 0.114]
    pooled = gray.reshape(-1, 32, 2, 32, 2).mean(axis=(2, 4))[:, 2:30, 2:30]
    centre = small[:, 2:26, 2:26, 0].astype(float)
    same = np.abs(pooled[:, 2:26, 2:26] - centre).mean()
    shifted = np.abs(pooled[:, 2:26, 2:26] - np.roll(centre, 40, axis=0)).mean()
    assert same < 0.6 * shifted


def test_people_differ_more_between_than_within():
    images, labels, _, _ = stand_in_faces(28, 1, seed=0)
    means = np.stack([images[labels == k].mean(axis=0) for k in range(6)]).reshape(6, -1)
    spread_between = np.linalg.norm(means[:, None] - means[None], axis=-1)[np.triu_indices(6, 1)].min()
    assert spread_between > 100, "each person's mean face is distinct"
    assert not (stand_in_faces(28, 1, seed=1)[0] == images).all(), "another seed draws other faces"
