# S6 double descent: one job for the width sweep (weight reuse chains the widths below nK), then
# the figure and the report section. The sweep keeps the resumable state of an unfinished run in
# results/s6/runs (keyed by its settings, data and code) and removes it when it completes.


rule s6_sweep:
    input:
        unpack(s6_dataset_files),
    output:
        table="results/s6/table.csv",
        curves="results/s6/curves.parquet",
    log:
        "results/logs/s6/sweep.log",
    params:
        options=s6_options,
    threads: 1
    resources:
        **rule_resources("s6_sweep"),
        gpu=1,
    conda:
        ENVS["torch"]
    shell:
        "dlrepro double-descent run {params.options} --runs-dir results/s6/runs --table {output.table} "
        "--curves {output.curves} 2> {log}"


rule s6_summary:
    input:
        table="results/s6/table.csv",
    output:
        figure=report("results/figures/s6/double_descent.png", caption="../report/s6.rst", category="S6"),
        section="results/s6/section.json",
    log:
        "results/logs/s6/summary.log",
    params:
        dataset=s6_dataset_name,
    resources:
        **rule_resources("s6_summary"),
    conda:
        ENVS["torch"]
    shell:
        "dlrepro double-descent summarise --table {input.table} --dataset {params.dataset} "
        "--figure {output.figure} --section {output.section} 2> {log}"
