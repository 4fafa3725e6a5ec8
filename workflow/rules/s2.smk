# S2 Raphael drawings authentication: the drawings checked against their SHA-256 manifest, cut into
# patches (rule patch_dataset, dataset "raphael"), features per patch (rule extract_features with
# s2.extractors), then leave-one-drawing-out patch votes per extractor x classifier and the summary.


include: "s2_common.smk"


rule s2_generate_drawings:
    output:
        drawings=directory(S2_GENERATED["drawings"]),
        labels=S2_GENERATED["labels"],
    log:
        "results/logs/s2/generate_drawings.log",
    benchmark:
        "results/benchmarks/s2/generate_drawings.tsv"
    conda:
        ENVS["data"]
    resources:
        **rule_resources("s2_generate_drawings"),
    params:
        settings=s2_generate_settings,
        seed=config["seed"],
    shell:
        "dlrepro raphael generate --drawings {output.drawings} --labels {output.labels} --settings {params.settings:q} "
        "--seed {params.seed} > {log} 2>&1"


rule s2_verify_drawings:
    input:
        unpack(s2_drawing_inputs),
    output:
        S2_DRAWINGS_TABLE,
    log:
        "results/logs/s2/verify_drawings.log",
    benchmark:
        "results/benchmarks/s2/verify_drawings.tsv"
    conda:
        ENVS["data"]
    resources:
        **rule_resources("s2_verify_drawings"),
    params:
        folder=s2_drawings_dir,
        manifest=s2_manifest,
    shell:
        "dlrepro raphael verify --drawings {params.folder:q} --labels {input.labels:q} "
        "--manifest {params.manifest:q} --out {output} > {log} 2>&1"


rule s2_evaluate:
    input:
        features=f"results/features/{S2_DATASET}/{{extractor}}.parquet",
        patches=f"results/datasets/{S2_DATASET}/patches.parquet",
        drawings=S2_DRAWINGS_TABLE,
    output:
        votes="results/s2/{extractor}/{classifier}/votes.parquet",
        decisions="results/s2/{extractor}/{classifier}/decisions.csv",
        metrics="results/s2/{extractor}/{classifier}/metrics.json",
        figure=report(
            "results/figures/s2/votes_{extractor}_{classifier}.png",
            caption="../report/s2_votes.rst",
            category="S2 Raphael authentication",
            labels={"extractor": "{extractor}", "classifier": "{classifier}"},
        ),
    log:
        "results/logs/s2/evaluate/{extractor}/{classifier}.log",
    benchmark:
        "results/benchmarks/s2/evaluate/{extractor}/{classifier}.tsv"
    wildcard_constraints:
        extractor=name_pattern(S2.get("extractors", {})),
        classifier=name_pattern(S2.get("classifiers", {})),
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s2_evaluate"),
    params:
        folder=s2_drawings_dir,
        settings=s2_evaluate_settings,
        feature_kind=feature_kind("s2"),
        seed=config["seed"],
    shell:
        "dlrepro raphael evaluate --features {input.features} --feature-kind {params.feature_kind} "
        "--patches {input.patches} "
        "--drawings-table {input.drawings} --drawings {params.folder:q} --classifier {wildcards.classifier} "
        "--settings {params.settings:q} --seed {params.seed} --threads {threads} --votes {output.votes} --decisions {output.decisions} "
        "--metrics {output.metrics} --figure {output.figure} > {log} 2>&1"


rule s2_summarise:
    input:
        metrics=s2_metrics(),
    output:
        table="results/s2/table.csv",
        disputed="results/s2/disputed.csv",
        section="results/s2/section.json",
    log:
        "results/logs/s2/summarise.log",
    benchmark:
        "results/benchmarks/s2/summarise.tsv"
    conda:
        ENVS["report"]
    resources:
        **rule_resources("s2_summarise"),
    params:
        settings=s2_patch_settings,
    shell:
        "dlrepro raphael summarise {input.metrics} --settings {params.settings:q} "
        "--table {output.table} --disputed {output.disputed} --section {output.section} > {log} 2>&1"
