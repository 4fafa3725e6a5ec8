# The reference scorecard and the self-contained HTML report: one section per enabled study.


rule scorecard:
    input:
        **scorecard_inputs(),
    output:
        table=SCORECARD["table"],
        section=SCORECARD["section"],
    log:
        "results/logs/scorecard.log",
    benchmark:
        "results/benchmarks/scorecard.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("scorecard"),
    params:
        inputs=scorecard_options,
        run=scorecard_run,
    shell:
        "dlrepro scorecard {params.inputs} --run {params.run:q} --table {output.table} "
        "--section {output.section} > {log} 2>&1"


rule report:
    input:
        report_sections(),
    output:
        "results/report/index.html",
    log:
        "results/logs/report.log",
    benchmark:
        "results/benchmarks/report.tsv"
    conda:
        ENVS["report"]
    resources:
        **rule_resources("report"),
    shell:
        "dlrepro report {input} --out {output} > {log} 2>&1"
