"""soni.report: the sorted check report as the upload page shows it."""

from soni.report import FEHLER, HINWEIS, WARNUNG, Report


def test_sorted_frame_errors_first_and_blank_rows_without_number() -> None:
    report = Report()
    report.add(HINWEIS, "h1", file="a.xlsx", row=3)
    report.add(FEHLER, "f1", file="a.xlsx")
    report.add(WARNUNG, "w1", file="a.xlsx", row=7)
    report.add(FEHLER, "f2", file="b.csv", row=2)
    frame = report.sorted_frame()
    assert list(frame["Meldung"]) == ["f1", "f2", "w1", "h1"]
    assert list(frame["Zeile"]) == ["", "2", "7", "3"]
    assert report.level_counts() == {FEHLER: 2, WARNUNG: 1, HINWEIS: 1}
    assert Report().sorted_frame().empty
