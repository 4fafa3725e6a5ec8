"""What each extractor kind accepts, with defaults; plain data so the workflow reads it without torch.

The config schema (workflow/schemas/config.schema.yaml) states the same defaults; a test keeps
the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# kind -> setting -> default (None: see the kind's extractor for what it means)
KINDS: dict[str, dict[str, Any]] = {
    "pixels": {},
    "scattering": {"J": 2, "L": 8, "max_order": 2, "image_size": None},
    "torchvision": {"arch": "resnet18", "layer": None, "weights": "imagenet", "image_size": 224},
}

# arch -> layer name -> (node of torchvision's model graph, "flatten" or "pool": global average
# pooling of a feature map, so the dimension does not grow with the image size)
CNN_LAYERS: dict[str, dict[str, tuple[str, str]]] = {
    "resnet18": {
        "avgpool": ("avgpool", "flatten"),
        "layer3": ("layer3", "pool"),
        "layer4": ("layer4", "pool"),
    },
    "vgg19": {
        "fc7": ("classifier.4", "flatten"),
        "fc6": ("classifier.1", "flatten"),
        "features": ("features", "pool"),
    },
    "alexnet": {
        # the whole conv4 map, as the FaceScrub assignment used it (256 x 13 x 13 at 224 px)
        "conv4": ("features.9", "flatten"),
        "conv4_pool": ("features.9", "pool"),  # 256 values: S1 classifiers at CIFAR-10 scale
        "fc6": ("classifier.2", "flatten"),
        "fc7": ("classifier.5", "flatten"),
    },
}
DEFAULT_LAYER = {"resnet18": "avgpool", "vgg19": "fc7", "alexnet": "fc7"}


def resolve_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` with ``kind`` checked, unknown keys refused and the kind's defaults filled in."""
    kind = settings.get("kind")
    if kind not in KINDS:
        raise ValueError(f"extractor kind {kind!r} unknown; expected one of {sorted(KINDS)}")
    allowed = KINDS[kind]
    unknown = sorted(set(settings) - {"kind"} - set(allowed))
    if unknown:
        raise ValueError(f"{kind} extractor: unknown settings {unknown}; it accepts {sorted(allowed) or 'none'}")
    resolved = {"kind": kind, **allowed, **{k: v for k, v in settings.items() if v is not None}}
    if kind == "torchvision":
        arch = resolved["arch"]
        if arch not in CNN_LAYERS:
            raise ValueError(f"arch {arch!r} unknown; expected one of {sorted(CNN_LAYERS)}")
        resolved["layer"] = resolved["layer"] or DEFAULT_LAYER[arch]
        if resolved["layer"] not in CNN_LAYERS[arch]:
            raise ValueError(f"{arch} has no layer {resolved['layer']!r}; choose one of {sorted(CNN_LAYERS[arch])}")
    return resolved
