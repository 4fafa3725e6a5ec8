# S4 artist classification CNN: the paintings as an image-folder dataset (the generated stand-in by
# default), one training job per experiment and architecture, then the summary that chooses the best
# run on validation, scores it once on test and measures robustness to changed test images.


include: "s4_common.smk"


rule s4_generate_paintings:
    output:
        archive=S4_STANDIN_FILES["archive"],
        manifest=S4_STANDIN_FILES["manifest"],
    log:
        "results/logs/s4/generate_paintings.log",
    benchmark:
        "results/benchmarks/s4/generate_paintings.tsv"
    conda:
        ENVS["data"]
    resources:
        **rule_resources("s4_generate_paintings"),
    params:
        settings=s4_standin_settings,
        seed=config["seed"],
    shell:
        "dlrepro artists generate --archive {output.archive} --manifest {output.manifest} "
        "--settings {params.settings:q} --seed {params.seed} > {log} 2>&1"


rule s4_train:
    input:
        unpack(s4_dataset_files),
    output:
        metrics="results/s4/runs/{experiment}/metrics.parquet",
        model="results/s4/runs/{experiment}/model.pt",
        summary="results/s4/runs/{experiment}/run.json",
    log:
        "results/logs/s4_train/{experiment}.log",
    benchmark:
        "results/benchmarks/s4_train/{experiment}.tsv"
    wildcard_constraints:
        experiment=r"[A-Za-z0-9_]+",
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s4_train", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s4_train_settings,
        seed=config["seed"],
        out_dir=subpath(output.summary, parent=True),
    shell:
        "dlrepro artists train --dataset {params.dataset} --experiment {wildcards.experiment} "
        "--settings {params.settings:q} --seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s4_summarise:
    input:
        unpack(s4_dataset_files),
        runs=s4_run_files(),
    output:
        curves=report(s4_curve_figures(), caption="../report/s4_curves.rst", category="S4 artists"),
        summary=report("results/figures/s4/summary.png", caption="../report/s4_summary.rst", category="S4 artists"),
        robustness=report(
            "results/figures/s4/robustness.png", caption="../report/s4_robustness.rst", category="S4 artists"
        ),
        misclassified=report(
            "results/figures/s4/misclassified.png", caption="../report/s4_misclassified.rst", category="S4 artists"
        ),
        tables=["results/s4/experiments.csv", "results/s4/robustness.csv", "results/s4/best.json"] + s4_sweep_table(),
        section="results/s4/section.json",
    log:
        "results/logs/s4_summarise.log",
    benchmark:
        "results/benchmarks/s4_summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s4_summarise"),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s4_summary_settings,
        figures=subpath(output.summary, parent=True),
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro artists summarise {input.runs} --dataset {params.dataset} "
        "--settings {params.settings:q} --figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
