# Config validation and the small functions that turn the config into file lists.

import re
import shlex

from snakemake.utils import min_version, validate

from dlrepro.data.sources import SOURCES

min_version("9.0")


validate(config, schema="../schemas/config.schema.yaml")


wildcard_constraints:
    dataset=r"[A-Za-z0-9_.-]+",
    source=r"[A-Za-z0-9_-]+",
    filename=r"[^/]+",


ENV = "../../envs/dlrepro.yaml"


def name_pattern(names):
    """Regex matching exactly ``names`` (nothing when empty), for wildcard constraints."""
    return "|".join(re.escape(name) for name in names) or "(?!)"


def source_dataset_names():
    """The names under config["datasets"]; other rules make the other datasets."""
    return name_pattern(config["datasets"])


def dataset_source(dataset):
    return config["datasets"][dataset]["source"]


def raw_files(wildcards):
    """Raw files the dataset's source needs (none for built-in sources)."""
    source = dataset_source(wildcards.dataset)
    if source not in SOURCES:
        return []
    return [f"results/raw/{source}/{raw.name}" for raw in SOURCES[source].files]


def raw_dir(wildcards):
    return f"results/raw/{dataset_source(wildcards.dataset)}"


def dataset_dir(wildcards):
    return f"results/datasets/{wildcards.dataset}"


def source_name(wildcards):
    return dataset_source(wildcards.dataset)


def dataset_option(flag, key):
    """Params function: ``flag value`` from the dataset's config entry, or nothing."""

    def from_config(wildcards):
        return option(flag, config["datasets"][wildcards.dataset].get(key))

    return from_config


def option(flag, value):
    """A command-line option, or nothing when the config leaves it unset."""
    return "" if value is None else f"{flag} {value}"


def dataset_files(dataset):
    return {
        "images": f"results/datasets/{dataset}/images.npy",
        "index": f"results/datasets/{dataset}/index.parquet",
    }


# Study keys in report order; a study runs when its key is in the config.
STUDIES = []


def report_sections():
    """Section files of the enabled studies, in report order."""
    return [f"results/{study}/section.json" for study in STUDIES if study in config]


# FaceScrub (read lazily: the section is absent from the embedded default).


def facescrub_lists(wildcards):
    return [f"results/raw/facescrub/{name}" for name in config["facescrub"]["lists"]]


def facescrub_list_options(wildcards):
    return " ".join(f"--list {path}" for path in facescrub_lists(wildcards))


def facescrub_people(wildcards):
    """``--person`` options, quoted: the names contain spaces."""
    return " ".join(f"--person {shlex.quote(name)}" for name in config["facescrub"]["people"])


def facescrub_fetch_options(wildcards):
    settings = config["facescrub"]
    return " ".join(
        [
            option("--faces-per-person", settings["faces_per_person"]),
            option("--workers", settings["workers"]),
            option("--timeout", settings["timeout"]),
            option("--retries", settings["retries"]),
            option("--backoff", settings["backoff"]),
            option("--image-mirror", settings["image_mirror"]),
            "--retry-failed" if settings["retry_failed"] else "",
        ]
    )


def facescrub_dataset_setting(key):
    """Params function: one setting of the requested FaceScrub dataset."""

    def from_config(wildcards):
        return config["facescrub"]["datasets"][wildcards.dataset][key]

    return from_config


def facescrub_train_per_person(wildcards):
    return config["facescrub"]["train_per_person"]


def facescrub_dataset_names():
    return name_pattern(config.get("facescrub", {}).get("datasets", {}))


def facescrub_targets():
    names = config.get("facescrub", {}).get("datasets", {})
    return [path for name in names for path in dataset_files(name).values()]


# Patch datasets: config["patches"][name] cuts a folder of large images (S2's drawings).


def patch_dataset_names():
    return name_pattern(config.get("patches", {}))


def patch_inputs(wildcards):
    settings = config["patches"][wildcards.dataset]
    inputs = {"images": settings["images"]}
    if settings["labels"]:
        inputs["labels"] = settings["labels"]
    return inputs


def patch_options(wildcards):
    settings = config["patches"][wildcards.dataset]
    return " ".join(
        [
            option("--labels", settings["labels"]),
            option("--size", settings["size"]),
            option("--stride", settings["stride"]),
            "--grayscale" if settings["grayscale"] else "--color",
            option("--min-std", settings["min_std"]),
            option("--scale", settings["scale"]),
        ]
    )
