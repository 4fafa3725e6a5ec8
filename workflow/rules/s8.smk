# S8 generative models: per dataset, the classifier that scores samples and one training job per model
# (vae, minimax, nonsaturating, wgan-gp), then the metric table, sample grids, interpolations and section.


include: "s8_common.smk"


rule s8_classifier:
    input:
        unpack(s8_dataset_files),
    output:
        metrics="results/s8/runs/{dataset}/classifier/metrics.parquet",
        model="results/s8/runs/{dataset}/classifier/classifier.pt",
        summary="results/s8/runs/{dataset}/classifier/run.json",
    log:
        "results/logs/s8_classifier/{dataset}.log",
    benchmark:
        "results/benchmarks/s8_classifier/{dataset}.tsv"
    wildcard_constraints:
        dataset=r"[A-Za-z0-9_.-]+",
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s8_classifier", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s8_classifier_settings,
        seed=config["seed"],
        out_dir=subpath(output.summary, parent=True),
    shell:
        "dlrepro generative classifier --dataset {params.dataset} "
        "--settings {params.settings:q} --seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s8_train:
    input:
        unpack(s8_dataset_files),
    output:
        metrics="results/s8/runs/{dataset}/{model}/metrics.parquet",
        model="results/s8/runs/{dataset}/{model}/model.pt",
        snapshots="results/s8/runs/{dataset}/{model}/snapshots.npz",
        summary="results/s8/runs/{dataset}/{model}/run.json",
    log:
        "results/logs/s8_train/{dataset}/{model}.log",
    benchmark:
        "results/benchmarks/s8_train/{dataset}/{model}.tsv"
    wildcard_constraints:
        dataset=r"[A-Za-z0-9_.-]+",
        model=r"vae|minimax|nonsaturating|wgan-gp",
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s8_train", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s8_train_settings,
        seed=config["seed"],
        out_dir=subpath(output.summary, parent=True),
    shell:
        "dlrepro generative train --dataset {params.dataset} "
        "--model {wildcards.model} --settings {params.settings:q} --seed {params.seed} --out {params.out_dir} "
        "> {log} 2>&1"


rule s8_summarise:
    input:
        runs=s8_run_files(),
        inception=s8_inception_weights,
    output:
        figures=report(s8_figures(), caption="../report/s8_grids.rst", category="S8 generative"),
        metrics=report("results/s8/metrics.csv", caption="../report/s8_metrics.rst", category="S8 generative"),
        section="results/s8/section.json",
    log:
        "results/logs/s8_summarise.log",
    benchmark:
        "results/benchmarks/s8_summarise.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s8_summarise", gpu=True),
    params:
        settings=s8_summary_settings,
        seed=config["seed"],
        figures=s8_figures_dir,
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro generative summarise {input.runs} --settings {params.settings:q} --seed {params.seed} "
        "--figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
