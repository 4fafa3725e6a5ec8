# S1: classical classifiers on each feature table, and the S1 summary (table, figures, report section).


rule fit_classifier:
    input:
        features="results/features/{dataset}/{extractor}.parquet",
        **dataset_files("{dataset}"),
    output:
        predictions="results/s1/{dataset}/{extractor}/{classifier}/predictions.parquet",
        metrics="results/s1/{dataset}/{extractor}/{classifier}/metrics.json",
        figure=report(
            "results/figures/s1/{dataset}/{extractor}/confusion_{classifier}.png",
            caption="../report/s1_confusion.rst",
            category="S1 features + classical learning",
            subcategory="{dataset} confusion matrices",
            labels={"extractor": "{extractor}", "classifier": "{classifier}"},
        ),
    log:
        "results/logs/s1/classify/{dataset}/{extractor}/{classifier}.log",
    wildcard_constraints:
        extractor=name_pattern(S1.get("extractors", {})),
        classifier=name_pattern(S1.get("classifiers", {})),
    params:
        dataset_dir=dataset_dir,
        settings=classifier_settings("s1"),
        feature_kind=feature_kind("s1"),
        seed=config["seed"],
    threads: 4
    resources:
        **rule_resources("fit_classifier"),
    conda:
        ENVS["sklearn"]
    shell:
        "dlrepro classify fit --features {input.features} --feature-kind {params.feature_kind} "
        "--dataset-dir {params.dataset_dir} "
        "--classifier {wildcards.classifier} --settings {params.settings:q} --seed {params.seed} "
        "--threads {threads} --predictions {output.predictions} --metrics {output.metrics} "
        "--figure {output.figure} 2> {log}"


rule summarise_s1:
    input:
        metrics=s1_metrics(),
        finetune=s1_finetune_metrics(),
        embeddings=s1_embeddings(),
        confusion=s1_confusion_figures(),
    output:
        table="results/s1/table.csv",
        section="results/s1/section.json",
        accuracy=report(
            "results/figures/s1/accuracy.png",
            caption="../report/s1_accuracy.rst",
            category="S1 features + classical learning",
            subcategory="summary",
        ),
        tradeoff=report(
            "results/figures/s1/accuracy_vs_fit_time.png",
            caption="../report/s1_tradeoff.rst",
            category="S1 features + classical learning",
            subcategory="summary",
        ),
    log:
        "results/logs/s1/summarise.log",
    params:
        finetune=s1_finetune_options,
        embeddings=s1_embedding_options,
    resources:
        **rule_resources("summarise_s1"),
    conda:
        ENVS["sklearn"]
    shell:
        "dlrepro classify summarise {input.metrics} {params.finetune} {params.embeddings} "
        "--table {output.table} --accuracy-figure {output.accuracy} "
        "--tradeoff-figure {output.tradeoff} --section {output.section} 2> {log}"
