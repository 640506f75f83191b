"""The pipeline benchmark's report: rates, ratios to spaCy alone and scaling, without running it."""

from __future__ import annotations

from detente.bench.pipeline import PipelineReport, PipelineResult, _shares


def _report() -> PipelineReport:
    stages = {"extract": 1.0, "parse": 6.0, "annotate": 0.5, "code": 0.5, "store": 0.5}
    one = PipelineResult("detente, 1 process", 40, 8.0, 600.0, stages, 1, 2.0)
    return PipelineReport(
        "test pages",
        40,
        700.0,
        [
            PipelineResult("spacy, 1 process", 40, 5.0, 500.0, {}, 1, 0.5),
            one,
            PipelineResult("spacy, 2 processes", 40, 2.5, 500.0, {}, 2, 0.6),
            PipelineResult("detente, 2 processes", 40, 4.0, 600.0, {}, 2, 2.1, [], 10.0),
            PipelineResult("detente ingest, 2 workers", 40, 5.0, 600.0),
        ],
    )


def test_report_gives_ratios_scaling_and_stage_costs() -> None:
    text = _report().format()
    assert "detente / spaCy alone, 1 process: 0.62" in text  # 5/s against 8/s
    assert "detente / spaCy alone, 2 processes: 0.62" in text
    assert "scaling 1 → 2 processes, detente: ×2.00" in text
    assert "parse 71%" in text and "parse 150" in text  # 6 s of 8.5, 150 ms per article
    assert "incl." in text  # the ingest row's startup is inside its time
    assert "idle cores (from CPU time, 2 processes): detente 8.00 articles/s" in text


def test_report_is_json_ready() -> None:
    data = _report().to_dict()
    assert data["variants"][1]["per_second"] == 5.0
    assert data["variants"][4]["startup"] is None


def test_shares_deal_round_robin() -> None:
    assert _shares([1, 2, 3, 4, 5], 2) == [[1, 3, 5], [2, 4]]
    assert _shares([1, 2], 1) == [[1, 2]]


def test_report_shows_cpu_use_and_ingest_against_spacy_multiprocessing() -> None:
    report = _report()
    report.variants[3].seconds = 4.0  # 10 CPU-s in 4 s: 2.50 (children included)
    report.variants += [
        PipelineResult("spacy nlp.pipe(n_process=2)", 40, 4.0, 500.0, cpu_seconds=7.6),
        PipelineResult("detente ingest, 1 worker", 40, 10.0, 600.0, cpu_seconds=9.5),
    ]
    text = report.format()
    row = next(line for line in text.splitlines() if "detente, 2 processes" in line)
    assert row.split()[3:5] == ["10.00", "2.50"]  # articles/s, then CPU use
    assert "spaCy nlp.pipe(n_process=2): 0.80 (target 0.85)" in text  # 8/s against 10/s
    assert "ingest --workers 1 / spaCy nlp.pipe(n_process=1)" not in text  # no such row
    assert "scaling ingest --workers 1 → 2: ×2.00" in text  # 8/s against 4/s
    assert report.to_dict()["variants"][6]["cpu_use"] == 0.95
