# S6 double descent: one job for the width sweep (weight reuse chains the widths below nK; it keeps
# every width's initial and trained weights, for S12's bounds), then the figure and the report
# section. The sweep keeps the resumable state of an unfinished run in results/s6/runs (keyed by its
# settings, data and code) and removes it when it completes.


include: "s6_common.smk"


rule s6_sweep:
    input:
        unpack(s6_dataset_files),
    output:
        table="results/s6/table.csv",
        curves="results/s6/curves.parquet",
        weights="results/s6/weights.pt",
    log:
        "results/logs/s6/sweep.log",
    benchmark:
        "results/benchmarks/s6/sweep.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s6_sweep", gpu=True),
    params:
        dataset_dir=subpath(input.index, parent=True),
        settings=s6_settings,
        seed=config["seed"],
    shell:
        "dlrepro double-descent run --dataset-dir {params.dataset_dir} --settings {params.settings:q} "
        "--seed {params.seed} --runs-dir results/s6/runs --table {output.table} --curves {output.curves} "
        "--weights {output.weights} > {log} 2>&1"


rule s6_summary:
    input:
        table="results/s6/table.csv",
    output:
        figure=report("results/figures/s6/double_descent.png", caption="../report/s6.rst", category="S6"),
        section="results/s6/section.json",
    log:
        "results/logs/s6/summary.log",
    benchmark:
        "results/benchmarks/s6/summary.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s6_summary"),
    params:
        settings=s6_summary_settings,
    shell:
        "dlrepro double-descent summarise --table {input.table} --settings {params.settings:q} "
        "--figure {output.figure} --section {output.section} > {log} 2>&1"
