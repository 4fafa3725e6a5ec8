# S5's config -> file lists and command settings, for the rules in s5.smk.


def s5_variants():
    """Configured data variants, the label-corruption ones named corrupt-<p>."""
    s5 = config["s5"]
    return s5["variants"] + [f"corrupt-{p}" for p in s5["corruption"]]


def s5_runs():
    """(model, regularisation, variant) of every S5 fit: each setting on its own variants."""
    runs = []
    for name, setting in config.get("s5", {}).get("regularisation", {}).items():
        for variant in setting["variants"] or s5_variants():
            check_variant(variant)
            runs += [(model, name, variant) for model in config["s5"]["models"]]
    return runs


def s5_fit_files():
    return [f"results/s5/fit/{m}/{r}/{v}/fit.json" for m, r, v in s5_runs()]


def s5_sweep_files():
    widths = config.get("s5", {}).get("sweep", {}).get("widths", [])
    return [f"results/s5/sweep/w{width}/fit.json" for width in widths]


def s5_curve_figures():
    pairs = sorted({(m, r) for m, r, _ in s5_runs()})
    return [f"results/figures/s5/curves_{m}_{r}.png" for m, r in pairs]


def s5_sweep_outputs():
    """Width-sweep figure and table, when the config sweeps any width."""
    if not s5_sweep_files():
        return []
    return ["results/figures/s5/width_sweep.png", "results/s5/width_sweep.csv"]


def s5_dataset_name(wildcards):
    return config["s5"]["dataset"]


def s5_dataset_files(wildcards):
    return dataset_files(s5_dataset_name(wildcards))


def s5_summary_settings(wildcards):
    """The dataset's name, for the captions: the fits carry the rest."""
    return settings_document({"dataset": config["s5"]["dataset"]})


def s5_sweep_kind(wildcards):
    return config["s5"]["sweep"]["kind"]


def s5_fit_document(models, regularisation):
    """The s5 settings a fit uses: subset, optimisation and only its own model and regularisation,
    so editing another entry does not rerun it."""
    s5 = config["s5"]
    return settings_document(
        {"max_train": s5["max_train"], "train": s5["train"], "models": models, "regularisation": regularisation}
    )


def s5_fit_settings(wildcards):
    setting = config["s5"]["regularisation"][wildcards.regularisation]
    return s5_fit_document(
        {wildcards.model: config["s5"]["models"][wildcards.model]},
        {wildcards.regularisation: {key: value for key, value in setting.items() if key != "variants"}},
    )


def s5_sweep_settings(wildcards):
    """A width of the sweep: s5.sweep.kind at that width, named by its kind, without regularisation."""
    kind = config["s5"]["sweep"]["kind"]
    return s5_fit_document({kind: {"kind": kind, "width": int(wildcards.width)}}, {"plain": {}})


def s5_sweep_options():
    return repeat_option("--sweep", s5_sweep_files())
