# S14 industrial and financial data: the stand-ins (generated dies and a factor-model panel), the
# good/bad image classifier with Grad-CAM and outlier scores, the rolling-origin time-series models,
# then the summary with ROC curves, Grad-CAM examples and the 20-day correlation table.


include: "s14_common.smk"


rule s14_standins:
    output:
        dies=S14_STANDIN_FILES["dies"],
        dies_manifest=S14_STANDIN_FILES["dies_manifest"],
        panel=S14_STANDIN_FILES["panel"],
    log:
        "results/logs/s14/standins.log",
    benchmark:
        "results/benchmarks/s14/standins.tsv"
    conda:
        ENVS["data"]
    resources:
        **rule_resources("s14_standins"),
    params:
        settings=s14_standin_settings,
        seed=config["seed"],
    shell:
        "dlrepro industrial standins --dies {output.dies} --dies-manifest {output.dies_manifest} "
        "--panel {output.panel} --settings {params.settings:q} --seed {params.seed} > {log} 2>&1"


rule s14_images:
    input:
        unpack(s14_dataset_files),
    output:
        scores="results/s14/images/scores.parquet",
        gradcam="results/s14/images/gradcam.npz",
        curves="results/s14/images/curves.parquet",
        model="results/s14/images/model.pt",
        summary="results/s14/images/run.json",
    log:
        "results/logs/s14/images.log",
    benchmark:
        "results/benchmarks/s14/images.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s14_images", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s14_images_settings,
        seed=config["seed"],
        out_dir=subpath(output.summary, parent=True),
    shell:
        "dlrepro industrial images --dataset {params.dataset} --settings {params.settings:q} "
        "--seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s14_timeseries:
    input:
        csv=s14_series_csv,
    output:
        predictions="results/s14/timeseries/predictions.parquet",
        curves="results/s14/timeseries/curves.parquet",
        summary="results/s14/timeseries/run.json",
    log:
        "results/logs/s14/timeseries.log",
    benchmark:
        "results/benchmarks/s14/timeseries.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s14_timeseries", gpu=True),
    params:
        manifest=s14_series_manifest,
        settings=s14_timeseries_settings,
        seed=config["seed"],
        out_dir=subpath(output.summary, parent=True),
    shell:
        "dlrepro industrial timeseries --csv {input.csv} --manifest {params.manifest} "
        "--settings {params.settings:q} --seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s14_summarise:
    input:
        images=rules.s14_images.output.summary,
        timeseries=rules.s14_timeseries.output.summary,
    output:
        roc=report("results/figures/s14/roc.png", caption="../report/s14_roc.rst", category="S14 industrial"),
        gradcam=report(
            "results/figures/s14/gradcam.png", caption="../report/s14_gradcam.rst", category="S14 industrial"
        ),
        correlations=report(
            "results/figures/s14/correlations.png", caption="../report/s14_correlations.rst", category="S14 industrial"
        ),
        tables=["results/s14/images.csv", "results/s14/timeseries.csv"],
        section="results/s14/section.json",
    log:
        "results/logs/s14_summarise.log",
    benchmark:
        "results/benchmarks/s14_summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s14_summarise"),
    params:
        images=subpath(input.images, parent=True),
        timeseries=subpath(input.timeseries, parent=True),
        settings=s14_summary_settings,
        figures=subpath(output.roc, parent=True),
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro industrial summarise --images {params.images} --timeseries {params.timeseries} "
        "--settings {params.settings:q} --figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
