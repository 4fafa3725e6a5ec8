# S5: rethinking generalization (Zhang et al. 2017): randomised data fitted to zero training error.


include: "s5_common.smk"


rule s5_fit:
    input:
        unpack(s5_dataset_files),
    output:
        metrics="results/s5/fit/{model}/{regularisation}/{variant}/metrics.parquet",
        summary="results/s5/fit/{model}/{regularisation}/{variant}/fit.json",
        init="results/s5/fit/{model}/{regularisation}/{variant}/init.pt",
        weights="results/s5/fit/{model}/{regularisation}/{variant}/weights.pt",
    log:
        "results/logs/s5_fit/{model}/{regularisation}/{variant}.log",
    benchmark:
        "results/benchmarks/s5_fit/{model}/{regularisation}/{variant}.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s5_fit", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s5_fit_settings,
        seed=config["seed"],
        out_dir=subpath(output.summary, parent=True),
    shell:
        "dlrepro generalization fit --dataset {params.dataset} --variant {wildcards.variant} "
        "--model-name {wildcards.model} --regularisation {wildcards.regularisation} --settings {params.settings:q} "
        "--seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s5_sweep_fit:
    input:
        unpack(s5_dataset_files),
    output:
        metrics="results/s5/sweep/w{width}/metrics.parquet",
        summary="results/s5/sweep/w{width}/fit.json",
        init="results/s5/sweep/w{width}/init.pt",
        weights="results/s5/sweep/w{width}/weights.pt",
    log:
        "results/logs/s5_sweep_fit/w{width}.log",
    benchmark:
        "results/benchmarks/s5_sweep_fit/w{width}.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s5_sweep_fit", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        kind=s5_sweep_kind,
        settings=s5_sweep_settings,
        seed=config["seed"],
        out_dir=subpath(output.summary, parent=True),
    shell:
        "dlrepro generalization fit --dataset {params.dataset} --variant true_labels --model-name {params.kind} "
        "--settings {params.settings:q} --seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s5_summarise:
    input:
        fits=s5_fit_files(),
        sweeps=s5_sweep_files(),
    output:
        corruption=report(
            "results/figures/s5/label_corruption.png",
            caption="../report/s5_summary.rst",
            category="S5 generalization",
        ),
        curves=report(s5_curve_figures(), caption="../report/s5_curves.rst", category="S5 generalization"),
        sweep=report(s5_sweep_outputs(), caption="../report/s5_summary.rst", category="S5 generalization"),
        fit_table="results/s5/time_to_fit.csv",
        section="results/s5/section.json",
    log:
        "results/logs/s5_summarise.log",
    benchmark:
        "results/benchmarks/s5_summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s5_summarise"),
    params:
        sweeps=s5_sweep_options(),
        settings=s5_summary_settings,
        figures=subpath(output.corruption, parent=True),
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro generalization summarise {input.fits} {params.sweeps} --settings {params.settings:q} "
        "--figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
