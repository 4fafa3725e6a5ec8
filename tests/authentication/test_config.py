from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def test_embedded_s2_section_states_the_schema_defaults():
    """config.yaml's s2 section shows the user every default the schema fills in."""
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())["properties"]["s2"]
    config = yaml.safe_load((REPO / "config.yaml").read_text())["s2"]
    assert set(config) == set(schema["properties"])
    for key, entry in schema["properties"].items():
        assert entry["description"] and "default" in entry, key
        assert config[key] == entry["default"], key
    for key in ("generate", "patches"):
        for name, setting in schema["properties"][key]["properties"].items():
            assert setting["description"] and setting["default"] == config[key][name], f"{key}.{name}"
