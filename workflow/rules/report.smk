# The self-contained HTML report: one section per enabled study.


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
