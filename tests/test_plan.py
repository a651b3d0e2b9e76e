"""The build plan: every output listed once, with what is appended to it, before anything renders."""

from __future__ import annotations

from pipeline.plan.documents import plan_build


def test_the_plan_lists_every_output_with_its_appended_parts(inputs):
    plan = plan_build(inputs)
    paths = [d.path for d in plan]
    assert len(paths) == len(set(paths)) == 25
    whole = plan[0]
    assert whole.path == "ke-hoach-cchc.docx"
    assert whole.label == whole.title + " (kèm các phụ lục)"
    # the plan carries its six appendices, each of which is also an output of its own
    assert [p.context["app"]["label"] for p in whole.appended] == [
        "Phụ lục I", "Phụ lục II", "Phụ lục III", "Phụ lục IV", "Phụ lục V", "Phụ lục VI"]
    alone = [d for d in plan if d.path.startswith("phu-luc/")]
    assert [d.body for d in alone] == whole.appended
    assert all(not d.appended for d in alone)
    # sub-plans stand alone; every report has one annex, the table of its tasks
    assert sorted(d.path for d in plan if d.path.startswith("ke-hoach-con/")) == [
        "ke-hoach-con/ctr-thtk-clp.docx", "ke-hoach-con/kh-chuyen-doi-so.docx",
        "ke-hoach-con/kh-theo-doi-thpl.docx", "ke-hoach-con/kh-tuyen-truyen-cchc.docx"]
    reports = [d for d in plan if d.path.startswith("bao-cao/")]
    assert len(reports) == 14  # the reports the plan and its sub-plans require (issue 15)
    assert all(len(d.appended) == 1 and d.appended[0].context["app"]["label"] == "Phụ lục" for d in reports)
    assert all(d.title.startswith("Báo cáo ") and d.date.day is None for d in reports)
