"""The chart builders on their own: the time-to-staff chart's target lines and overruns, the
heatmap's named columns, suppressed bars shown as such. Pure: SVG strings, no app."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from roster.reports import charts, target_chart
from roster.reports.target_chart import Row, hours_text, tick_text

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the builders' own output, not outside input


def words(kind: str, value: str) -> str:
    return {
        "target": f"target {value}",
        "median": f"median {value}",
        "p90": f"p90 {value}",
        "over": f"{value}: over target",
        "count": f"{value} staffed",
    }.get(kind, "none staffed")


def staffing(rows: list[Row]) -> ET.Element:
    svg = target_chart.staffing_targets(chart_id="t", title="T", desc="D", rows=rows, words=words)
    return parse(svg)


def test_each_urgency_has_a_labelled_target_line_inside_the_chart():
    root = staffing(
        [
            Row("routine", "Routine", 240.0, 7, 147.5, 270.5),
            Row("priority", "Priority", 48.0, 8, 45.8, 61.2),
            Row("immediate", "Immediate", 4.0, 4, 3.8, 4.4),
        ]
    )
    width = float(root.get("width") or 0)
    lines = root.findall(f".//{SVG}line[@class='target-line']")
    assert [line.get("data-urgency") for line in lines] == ["routine", "priority", "immediate"]
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "target-label"]
    assert labels == ["target 10 d", "target 2 d", "target 4 h"]
    assert all(0 < float(line.get("x1") or 0) < width for line in lines)
    assert not root.findall(f".//{SVG}rect[@class='median-bar over-target']")


def test_a_median_past_its_target_is_hatched_and_said_in_words():
    root = staffing([Row("immediate", "Immediate", 4.0, 3, 6.5, 9.0)])
    bar = root.find(f".//{SVG}rect[@class='median-bar over-target']")
    assert bar is not None and bar.get("fill") == "url(#t-over)"  # a pattern, not a colour
    assert root.find(f".//{SVG}pattern[@id='t-over']") is not None
    figures = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "staffing-figures"]
    assert figures == ["median 6.5 h · p90 9 h: over target"]
    # the scale reaches past the slowest time, so the whisker stays inside the chart
    ticks = [t.text for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d+ [hd]", t.text or "")]
    assert ticks[-1] == "10 h"


def test_an_urgency_nobody_was_staffed_for_still_shows_its_target():
    root = staffing([Row("routine", "Routine", 240.0, 0, None, None)])
    assert root.find(f".//{SVG}line[@class='target-line']") is not None
    assert "none staffed" in [t.text for t in root.iter(f"{SVG}text")]
    assert root.find(f".//{SVG}rect[@class='median-bar']") is None


def test_hours_read_as_hours_or_days():
    assert hours_text(4.0) == "4 h"
    assert hours_text(45.8) == "45.8 h"
    assert hours_text(60.0) == "2.5 d"
    assert tick_text(24.0) == "1 d" and tick_text(6.0) == "6 h"


def test_heatmap_columns_carry_country_names_with_the_code_as_title():
    svg = charts.heatmap(
        chart_id="h",
        title="H",
        desc="D",
        row_labels=["Protection of Civilians"],
        col_labels=["Ukraine", "Congo, The Democratic Republic of the"],
        col_titles=["Ukraine (UA)", "Congo, The Democratic Republic of the (CD)"],
        cells=[[charts.Cell(3, "/search?x=1"), charts.Cell(0, "/search?x=2")]],
        thin_below=3,
    )
    root = parse(svg)
    heads = root.findall(f".//{SVG}g[@class='col-label']")
    assert [g.find(f"{SVG}title").text for g in heads] == [  # type: ignore[union-attr]
        "Ukraine (UA)",
        "Congo, The Democratic Republic of the (CD)",
    ]
    shown = [g.find(f"{SVG}text").text for g in heads]  # type: ignore[union-attr]
    assert shown[0] == "Ukraine" and shown[1].endswith("…") and len(shown[1]) <= 26
    assert len(root.findall(f".//{SVG}a")) == 2


def test_suppressed_bars_are_hatched_and_explained():
    svg = charts.bars(
        chart_id="b",
        title="B",
        desc="D",
        items=[("Women", 12), ("Non-binary", None)],
        value_text=["12", "< 5"],
        suppressed_note="hidden: fewer than 5",
    )
    root = parse(svg)
    stub = root.find(f".//{SVG}rect[@class='suppressed']")
    assert stub is not None and stub.get("fill") == "url(#b-hidden)"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "< 5" in texts and "hidden: fewer than 5" in texts
