# Config validation and the small functions that turn the config into file lists.

from snakemake.utils import min_version, validate

from dlrepro.data.sources import SOURCES
from dlrepro.data.variants import check_variant

min_version("9.0")


validate(config, schema="../schemas/config.schema.yaml")


wildcard_constraints:
    dataset=r"[A-Za-z0-9_.-]+",
    model=r"[A-Za-z0-9_]+",
    regularisation=r"[A-Za-z0-9_]+",
    variant=r"[A-Za-z0-9_.-]+",
    width=r"[0-9]+",
    source=r"[A-Za-z0-9_-]+",
    filename=r"[^/]+",


ENV = "../../envs/dlrepro.yaml"


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
STUDIES = ["s5"]


def report_sections():
    """Section files of the enabled studies, in report order."""
    return [f"results/{study}/section.json" for study in STUDIES if study in config]


# S5: rethinking generalization


def s5_variants():
    """Configured data variants, the label-corruption ones named corrupt-<p>."""
    s5 = config["s5"]
    return s5["variants"] + [f"corrupt-{p}" for p in s5["corruption"]]


def s5_runs():
    """(model, regularisation, variant) of every S5 fit: each setting on its own variants."""
    runs = []
    for name, setting in config["s5"]["regularisation"].items():
        for variant in setting["variants"] or s5_variants():
            check_variant(variant)
            runs += [(model, name, variant) for model in config["s5"]["models"]]
    return runs


def s5_fit_files():
    return [f"results/s5/fit/{m}/{r}/{v}/fit.json" for m, r, v in s5_runs()]


def s5_sweep_files():
    return [f"results/s5/sweep/w{width}/fit.json" for width in config["s5"]["sweep"]["widths"]]


def s5_curve_figures():
    pairs = sorted({(m, r) for m, r, _ in s5_runs()})
    return [f"results/figures/s5/curves_{m}_{r}.png" for m, r in pairs]


def s5_sweep_outputs():
    """Width-sweep figure and table, when the config sweeps any width."""
    if not config["s5"]["sweep"]["widths"]:
        return []
    return ["results/figures/s5/width_sweep.png", "results/s5/width_sweep.csv"]


def s5_dataset():
    return dataset_files(config["s5"]["dataset"])


def s5_train_options():
    """Command-line options shared by every S5 fit: subset, optimisation, seed."""
    train = config["s5"]["train"]
    return (
        f"{option('--max-train', config['s5']['max_train'])} --optimizer {train['optimizer']} "
        f"--lr {train['lr']} --momentum {train['momentum']} --batch-size {train['batch_size']} "
        f"--max-epochs {train['max_epochs']} --seed {config['seed']}"
    )


def s5_model_options(wildcards):
    model = config["s5"]["models"][wildcards.model]
    return f"--model-name {wildcards.model} --kind {model['kind']} --width {model['width']}"


def s5_regularisation_options(wildcards):
    setting = config["s5"]["regularisation"][wildcards.regularisation]
    flip = "--flip" if setting["flip"] else "--no-flip"
    return (
        f"--regularisation {wildcards.regularisation} --weight-decay {setting['weight_decay']} "
        f"--dropout {setting['dropout']} --shift {setting['shift']} {flip}"
    )


def s5_sweep_options():
    return " ".join(f"--sweep {path}" for path in s5_sweep_files())
