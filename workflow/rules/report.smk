# The self-contained HTML report: one section per enabled study.


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
