# S12's config -> file lists and command settings, for the rules in s12.smk.


def s12_part(name):
    """The settings of one S12 part (teacher_student, lottery, bounds), None when it is switched off."""
    return (config.get("s12") or {}).get(name)


def s12_bounds_fits():
    """S5 label-corruption runs the bounds are measured on: MLPs without regularisation."""
    if "s5" not in config:
        return []
    s5 = config["s5"]
    plain = {
        name
        for name, setting in s5["regularisation"].items()
        if not (setting["weight_decay"] or setting["dropout"] or setting["shift"] or setting["flip"])
    }
    labels = ("true_labels", "random_labels")
    return [
        f"results/s5/fit/{m}/{r}/{v}/fit.json"
        for m, r, v in s5_runs()
        if s5["models"][m]["kind"] == "mlp" and r in plain and (v in labels or v.startswith("corrupt-"))
    ]


def s12_bounds_sweeps():
    """S5's width sweep, when it trains MLPs."""
    if "s5" not in config or config["s5"]["sweep"]["kind"] != "mlp":
        return []
    return s5_sweep_files()


def s12_bounds_enabled():
    return s12_part("bounds") is not None and bool(s12_bounds_fits() or s12_bounds_sweeps())


def s12_summary_inputs():
    """Runs tables of the enabled parts, keyed by the summarise option that takes them."""
    inputs = {}
    if s12_part("teacher_student") is not None:
        inputs["teacher_student"] = "results/s12/teacher_student/runs.parquet"
    if s12_part("lottery") is not None:
        inputs["lottery"] = "results/s12/lottery/runs.parquet"
    if s12_bounds_enabled():
        inputs["bounds"] = "results/s12/bounds/measures.parquet"
    return inputs


def s12_summary_options(wildcards, input):
    return " ".join(f"--{name.replace('_', '-')} {path}" for name, path in input.items())


def s12_settings(part):
    def document(wildcards):
        return settings_document(s12_part(part))

    return document


def s12_lottery_files(wildcards):
    return dataset_files(s12_part("lottery")["dataset"])


def s12_bounds_inputs(wildcards):
    return dataset_files(config["s5"]["dataset"]) | {"sweeps": s12_bounds_sweeps(), "fits": s12_bounds_fits()}


def s12_bounds_options(wildcards, input):
    return " ".join([repeat_option("--sweep", input.sweeps), repeat_option("--fit", input.fits)])


def s12_max_train(wildcards):
    return option("--max-train", config["s5"]["max_train"])


def s12_bounds_dataset(wildcards):
    return config["s5"]["dataset"] if "s5" in config else "none"
