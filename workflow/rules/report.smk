# The reference scorecard and the self-contained HTML report: one section per enabled study.


rule scorecard:
    input:
        **scorecard_inputs(),
    output:
        table=SCORECARD["table"],
        section=SCORECARD["section"],
    log:
        "results/logs/scorecard.log",
    params:
        inputs=scorecard_options,
        run=scorecard_run,
    resources:
        **rule_resources("scorecard"),
    conda:
        ENVS["torch"]
    shell:
        "dlrepro scorecard {params.inputs} --run {params.run:q} --table {output.table} "
        "--section {output.section} 2> {log}"


rule report:
    input:
        report_sections(),
    output:
        "results/report/index.html",
    log:
        "results/logs/report.log",
    resources:
        **rule_resources("report"),
    conda:
        ENVS["report"]
    shell:
        "dlrepro report {input} --out {output} 2> {log}"
