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


def s12_bounds_s6():
    """S6's sweep (its table, every width's weights and its data), when S6 runs."""
    if "s6" not in config:
        return {}
    files = dataset_files(config["s6"]["dataset"])
    return {"s6_table": "results/s6/table.csv", "s6_weights": "results/s6/weights.pt"} | {
        f"s6_{name}": path for name, path in files.items()
    }


def s12_bounds_s5():
    """S5's runs the bounds are measured on, and its data, when S5 trains any MLPs."""
    if not (s12_bounds_fits() or s12_bounds_sweeps()):
        return {}
    files = dataset_files(config["s5"]["dataset"])
    return {"sweeps": s12_bounds_sweeps(), "fits": s12_bounds_fits()} | {
        f"s5_{name}": path for name, path in files.items()
    }


def s12_bounds_enabled():
    return s12_part("bounds") is not None and bool(s12_bounds_s5() or s12_bounds_s6())


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


def s12_report_figures():
    """The figures s12_summarise draws for each enabled part, marked for Snakemake's report."""
    figures = {}
    if s12_part("teacher_student") is not None:
        figures["teacher_student_figure"] = ["results/figures/s12/teacher_student.png"], "s12_teacher_student.rst"
    if s12_part("lottery") is not None:
        figures["lottery_figure"] = ["results/figures/s12/lottery.png"], "s12_lottery.rst"
    if s12_bounds_enabled():
        paths = ["results/figures/s12/bounds.png"] + (["results/figures/s12/bounds_s6.png"] if s12_bounds_s6() else [])
        figures["bounds_figures"] = paths, "s12_bounds.rst"
    return {
        name: report(paths, caption=f"../report/{caption}", category="S12 landscape")
        for name, (paths, caption) in figures.items()
    }


def s12_summary_options(wildcards, input):
    return " ".join(f"--{name.replace('_', '-')} {path}" for name, path in input.items())


def s12_settings(part):
    def document(wildcards):
        return settings_document(s12_part(part))

    return document


def s12_lottery_files(wildcards):
    return dataset_files(s12_part("lottery")["dataset"])


def s12_bounds_inputs(wildcards):
    return s12_bounds_s5() | s12_bounds_s6()


def s12_bounds_options(wildcards, input):
    """S5's runs with their dataset and subset, S6's sweep with its dataset, as the command's options."""
    options = []
    if "s5_index" in input.keys():
        options += [
            repeat_option("--sweep", input.sweeps),
            repeat_option("--fit", input.fits),
            f"--dataset-dir {os.path.dirname(input.s5_index)}",
            option("--max-train", config["s5"]["max_train"]),
        ]
    if "s6_index" in input.keys():
        options += [
            f"--s6-weights {input.s6_weights} --s6-table {input.s6_table}",
            f"--s6-dataset-dir {os.path.dirname(input.s6_index)}",
        ]
    return " ".join(filter(None, options))
