# S7's config -> file lists and command settings, for the rules in s7.smk.


def s7_models():
    """Every model trained on each canvas: the baselines, then RAM per number of glimpses."""
    s7 = config["s7"]
    return s7["baselines"] + [f"ram-{glimpses}" for glimpses in s7["glimpses"]]


def s7_run_files():
    canvases = config.get("s7", {}).get("canvases", {})
    return [f"results/s7/runs/{canvas}/{model}/run.json" for canvas in canvases for model in s7_models()]


S7_FIGURES = "results/figures/s7"


def s7_figures():
    """Glimpse paths, glimpses and curves per canvas, when RAM runs at all."""
    s7 = config.get("s7", {})
    if not s7.get("glimpses"):
        return []
    kinds = ("paths", "glimpses", "curves")
    return [f"{S7_FIGURES}/{kind}_{canvas}.png" for canvas in s7["canvases"] for kind in kinds]


def s7_figures_dir(wildcards):
    """The figures' folder, also when no RAM runs and s7_figures() is empty."""
    return S7_FIGURES


def s7_dataset_name(wildcards):
    return config["s7"]["dataset"]


def s7_dataset_source(wildcards):
    """The digits' source (mnist, or a stand-in), which the captions name."""
    name = s7_dataset_name(wildcards)
    return config["datasets"][name].get("source", name)


def s7_dataset_files(wildcards):
    return dataset_files(s7_dataset_name(wildcards))


def s7_canvas_files(wildcards):
    return {
        "images": f"results/s7/canvases/{wildcards.canvas}/images.npy",
        "index": f"results/s7/canvases/{wildcards.canvas}/index.parquet",
        "train_digits": f"results/s7/canvases/{wildcards.canvas}/train_digits.npy",
    }


def s7_canvas_settings(wildcards):
    return settings_document(config["s7"]["canvases"][wildcards.canvas])


def s7_train_settings(wildcards):
    """The model settings and only this canvas's entry, so editing another canvas does not rerun it;
    baseline_train only for the fc and conv nets, so editing it does not rerun RAM."""
    s7 = config["s7"]
    document = {key: s7[key] for key in ("ram", "fc", "conv", "train")}
    if wildcards.model in s7["baselines"] and s7["baseline_train"]:
        document["baseline_train"] = s7["baseline_train"]
    return settings_document(document | {"canvases": {wildcards.canvas: s7["canvases"][wildcards.canvas]}})


def s7_summary_settings(wildcards):
    return settings_document(config["s7"])
