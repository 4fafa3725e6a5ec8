from pathlib import Path

import pytest
import yaml

from dlrepro.features.settings import CNN_LAYERS, DEFAULT_LAYER, KINDS, resolve_settings

SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


def test_defaults_are_filled_per_kind():
    assert resolve_settings({"kind": "scattering", "J": 3}) == {
        "kind": "scattering", "J": 3, "L": 8, "max_order": 2, "image_size": None
    }
    assert resolve_settings({"kind": "torchvision", "arch": "vgg19"})["layer"] == "fc7"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"kind": "sift"}, "kind 'sift' unknown"),
        ({"kind": "pixels", "J": 2}, r"unknown settings \['J'\]"),
        ({"kind": "torchvision", "arch": "resnet50"}, "arch 'resnet50' unknown"),
        ({"kind": "torchvision", "arch": "alexnet", "layer": "avgpool"}, "alexnet has no layer 'avgpool'"),
    ],
)
def test_bad_settings_say_what_is_accepted(settings, message):
    with pytest.raises(ValueError, match=message):
        resolve_settings(settings)


def test_schema_states_the_library_defaults():
    schema = yaml.safe_load(SCHEMA.read_text())
    extractor = schema["properties"]["s1"]["properties"]["extractors"]["additionalProperties"]
    assert set(extractor["properties"]["kind"]["enum"]) == set(KINDS)
    for branch in extractor["allOf"]:
        kind = branch["if"]["properties"]["kind"]["const"]
        settings = branch["then"]["properties"]
        assert set(settings) - {"kind"} == set(KINDS[kind])
        assert {key: settings[key].get("default") for key in KINDS[kind]} == KINDS[kind]
        if kind == "torchvision":
            assert set(settings["arch"]["enum"]) == set(CNN_LAYERS)
            layers = {layer for arch in CNN_LAYERS.values() for layer in arch}
            assert set(settings["layer"]["enum"]) - {None} == layers
    assert set(DEFAULT_LAYER) == set(CNN_LAYERS)
