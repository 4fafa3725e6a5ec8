"""STAND-IN faces for S3's embedded default: six made-up people drawn from numbers, no photos.

Each person has fixed traits (face shape, skin and hair tone, hairline, eye spacing and size,
brows, nose, mouth); each image of them moves, scales and lights the face differently and adds
noise, so telling the people apart takes learning, as with real faces, but nothing needs the
network. Every image is drawn at the requested size from the same numbers, so the 28 px gray
set and a larger RGB set hold the same faces with the same ids, labels and splits, as the
FaceScrub datasets do.
"""

from __future__ import annotations

import numpy as np

from dlrepro.data.facescrub import split_per_person

PEOPLE = tuple(f"stand-in person {i}" for i in range(1, 7))
FACES_PER_PERSON = 40
TRAIN_PER_PERSON = 24  # the other 16 are halved into val and test, as FaceScrub's split does
LUMA = np.array([0.299, 0.587, 0.114])  # ITU-R 601-2, Pillow's grayscale


def person_traits(rng: np.random.Generator) -> dict[str, np.ndarray | float]:
    return {
        "half_width": rng.uniform(0.48, 0.68), "half_height": rng.uniform(0.62, 0.8),
        "skin": rng.uniform([0.55, 0.38, 0.28], [0.95, 0.78, 0.65]),
        "hair": rng.uniform(0.05, 0.5) * rng.uniform(0.6, 1, 3),
        "hairline": rng.uniform(-0.6, -0.25), "eye_gap": rng.uniform(0.16, 0.32), "eye_y": rng.uniform(-0.25, -0.05),
        "eye_size": rng.uniform(0.05, 0.11), "brow": rng.uniform(0.0, 0.04), "nose": rng.uniform(0.1, 0.3),
        "mouth_y": rng.uniform(0.3, 0.5), "mouth_width": rng.uniform(0.12, 0.32),
    }


def _inside(distance: np.ndarray, edge: float) -> np.ndarray:
    """1 inside a shape (distance < 1), 0 outside, blended over about one pixel (``edge``)."""
    return 1.0 / (1.0 + np.exp(np.clip((distance - 1.0) / edge, -30, 30)))


def render_face(traits: dict, pose: np.ndarray, size: int) -> np.ndarray:
    """One RGB face in [0, 1], size x size x 3; ``pose`` = (dx, dy, scale, light, tilt of the light)."""
    dx, dy, scale, light, tilt = pose
    coords = (np.arange(size) + 0.5) / size * 2 - 1
    y, x = np.meshgrid(coords, coords, indexing="ij")
    x, y = (x - dx) / scale, (y - dy) / scale
    edge = 4.0 / (size * scale)  # shape edges blend over about two pixels
    t = traits
    image = np.broadcast_to(np.array([0.55, 0.6, 0.65]) * (0.7 + 0.3 * y[..., None]), (size, size, 3)).copy()
    head = _inside(np.hypot(x / t["half_width"], y / t["half_height"]), edge)
    above_hairline = 1.0 / (1.0 + np.exp(np.clip((y - t["hairline"]) / 0.03, -30, 30)))
    scalp = _inside(np.hypot(x / (t["half_width"] + 0.08), (y + 0.06) / (t["half_height"] + 0.08)), edge)
    hair = scalp * above_hairline
    image = image * (1 - hair[..., None]) + t["hair"] * hair[..., None]
    face = head * (1 - hair)
    image = image * (1 - face[..., None]) + t["skin"] * face[..., None]
    dark = np.zeros((size, size))
    for side in (-1, 1):
        eye_x = (x - side * t["eye_gap"]) / t["eye_size"]
        eye = _inside(np.hypot(eye_x, (y - t["eye_y"]) / (0.6 * t["eye_size"])), edge)
        brow_y = t["eye_y"] - 1.8 * t["eye_size"]
        brow = _inside(np.hypot(eye_x / 1.4, (y - brow_y) / (t["brow"] + 0.01)), edge)
        dark = np.maximum(dark, np.maximum(eye, brow * 0.8))
    nose_y = t["eye_y"] + t["nose"] / 2 + 0.05
    nose = _inside(np.maximum(np.abs(x) / 0.035, np.abs(y - nose_y) / (t["nose"] / 2)), edge)
    mouth = _inside(np.hypot(x / t["mouth_width"], (y - t["mouth_y"]) / 0.04), edge)
    dark = np.maximum(dark, np.maximum(0.45 * nose, 0.9 * mouth)) * head
    image = image * (1 - 0.85 * dark[..., None])
    shading = light * (1 + tilt * x)[..., None]
    return np.clip(image * shading, 0, 1)


def stand_in_faces(size: int, channels: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Images (uint8 N x size x size x channels), labels, per-person split and class names.

    The people and poses depend on ``seed`` only, never on ``size`` or ``channels``.
    """
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 (grayscale) or 3 (RGB), got {channels}")
    images, labels = [], []
    for label in range(len(PEOPLE)):
        traits = person_traits(np.random.default_rng([seed, label, 0]))
        poses = np.random.default_rng([seed, label, 1]).uniform(
            [-0.12, -0.12, 0.82, 0.65, -0.35], [0.12, 0.12, 1.12, 1.25, 0.35], size=(FACES_PER_PERSON, 5))
        noise = np.random.default_rng([seed, label, 2, size])
        for pose in poses:
            face = render_face(traits, pose, size) + noise.normal(0, 0.05, size=(size, size, 3))
            images.append(np.clip(face, 0, 1))
            labels.append(label)
    rgb = np.stack(images)
    pixels = rgb if channels == 3 else (rgb @ LUMA)[..., None]
    labels = np.array(labels, dtype=np.int64)
    return (np.round(pixels * 255).astype(np.uint8), labels, split_per_person(labels, TRAIN_PER_PERSON, seed),
            list(PEOPLE))
