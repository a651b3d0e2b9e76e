"""How a document ends: §5 the signature block and "Nơi nhận"; §6 its appendices' labels."""

from __future__ import annotations

import re

from pipeline.check.checker import R, Checker, first_line_only
from pipeline.decree import rules
from pipeline.docread.blocks import AUTHORITY_RE, AUTHORITY_SLIP_RE
from pipeline.docread.structure import norm


def check_signature(c: Checker) -> None:
    slips = [p for p in c.doc.paragraphs if p.first_line and len(p.first_line) < 60
             and AUTHORITY_SLIP_RE.match(p.first_line) and not AUTHORITY_RE.match(p.first_line)]
    if slips:
        t = slips[0].lines[0]
        c.fail("signature.form", slips[0], f"“{t}”: thẩm quyền ký viết “TM.”, “KT.”, “Q.”, “TL.”, “TUQ.” (in hoa, "
               "dấu chấm, một dấu cách), ví dụ “KT. CHỦ TỊCH” — §5", measured=t, allowed="KT. CHỦ TỊCH", section="§5")
    s = c.doc.signature
    if s is None:
        if not slips:
            c.skip("signature", "không tìm thấy khối chữ ký (thẩm quyền, chức vụ, họ tên người ký)")
        return
    for p in ([s.authority] if s.form else []) + s.positions:
        c.style_rule("signature.style", first_line_only(p), "authority")
    t = s.authority.lines[0]
    if s.form and t != t.upper():
        c.fail("signature.form", s.authority, f"“{t}” phải in hoa — §5", measured=t, allowed=t.upper(), section="§5")
    if s.form in ("KT", "TL", "TUQ") and not s.positions and len(s.authority.lines) < 2:
        c.fail("signature.form", s.authority, f"sau “{s.form}. …” phải có chức vụ người ký — §5", section="§5")
    if s.signer is None:
        c.fail("signature.name", s.authority, "không thấy họ tên người ký dưới chỗ ký — §5", section="§5")
        return
    c.style_rule("signature.name", s.signer, "signer")
    if s.signer.place.table != s.authority.place.table:
        c.fail("signature.name", s.signer, "họ tên người ký nằm ngoài khối chữ ký (gõ bằng dấu cách ở dòng riêng); "
               "nên đặt dưới chức vụ, cùng ô — §5", "warning", section="§5")


def check_recipients(c: Checker) -> None:
    r = c.doc.recipients
    if r is None:
        c.fail("recipients.missing", "cuối văn bản", "không có phần “Nơi nhận:” — §5", "warning", section="§5")
        return
    first = r.title.lines[0]
    if norm(first) != "Nơi nhận:":
        c.fail("recipients.title", r.title, f"viết “{first}”; Nghị định: “Nơi nhận:” (có dấu hai chấm) — §5",
               measured=first, allowed="Nơi nhận:", section="§5")
    c.style_rule("recipients.title", first_line_only(r.title), "recipients_title")
    if not r.entries:
        c.fail("recipients.entry", r.title, "“Nơi nhận:” không có dòng nào — §5", section="§5")
        return
    size = R["size.recipients"]
    lines = [p for _, ps in r.entries for p in ps if p is not r.title]
    bad = [p for p in lines if any(not size.admits(s) for s in p.sizes())]
    if bad:
        got = ", ".join(f"{s:g}" for s in sorted(bad[0].sizes()))
        c.fail("recipients.size", bad[0], f"{size.what} {size.words()}, gặp cỡ {got} — §5", measured=got,
               allowed=size.words(), section="§5", count=(len(bad), len(lines)))
    texts = [t for t, _ in r.entries]
    wrong = [(t, ps) for t, ps in r.entries[:-1] if not (t.startswith("-") and t.endswith(";"))]
    if wrong:
        c.fail("recipients.entry", wrong[0][1][0], f"“{wrong[0][0][:50]}”: mỗi nơi nhận bắt đầu bằng “-” và "
               "kết thúc bằng “;” — §5", measured=wrong[0][0][:50], allowed="- …;", section="§5")
    if c.doc.addressees and norm(texts[0]) != rules.AS_ABOVE and len(texts) > 1:
        c.fail("recipients.as-above", r.entries[0][1][0], f"văn bản có “Kính gửi” thì nơi nhận đầu tiên là "
               f"“{rules.AS_ABOVE}”, gặp “{texts[0][:50]}” — §9", "warning", measured=texts[0][:50],
               allowed=rules.AS_ABOVE, section="§9")
    why = archive_fault(texts[-1])
    if why:
        c.fail("recipients.archive", r.entries[-1][1][-1], f"dòng cuối “{texts[-1]}”: {why}; Nghị định: "
               "“- Lưu: VT, <đơn vị soạn thảo>.” — §5", measured=texts[-1], allowed="- Lưu: VT, ….", section="§5")


def archive_fault(line: str) -> str | None:
    """What is wrong with the last line of “Nơi nhận” (§5: “- Lưu: VT, <drafting unit>.”), or None."""
    if re.fullmatch(r"- Lưu: VT(, [^;]+?)?\.", line):
        return None
    if not re.match(r"[-–]\s*Lưu\b", line):
        return "không phải dòng “- Lưu: …” (nơi lưu văn bản)"
    if not line.startswith("- Lưu: "):
        return "viết “- Lưu: ” (gạch ngang, chữ “Lưu”, dấu hai chấm, một dấu cách)"
    if not re.match(r"- Lưu: VT\b", line):
        return "nơi lưu đầu tiên là “VT” (văn thư)"
    if not line.endswith("."):
        return "thiếu dấu chấm ở cuối dòng"
    return "sau “VT” là dấu phẩy rồi tên viết tắt của đơn vị soạn thảo"


# ------------------------------------------------------------------ §6 appendices
def check_appendices(c: Checker) -> None:
    labels = c.doc.appendices
    for a in labels:
        t = a.label.stripped
        if not t.startswith("Phụ lục"):
            c.fail("appendix.case", a.label, f"“{t[:30]}”: viết “Phụ lục” (chữ thường), không in hoa cả — §6",
                   measured=t[:30], allowed="Phụ lục", section="§6")
            break
    numbered = [a for a in labels if re.match(r"^ph[ụu] l[ụu]c\s+(số\s+)?\d", a.label.stripped, re.IGNORECASE)]
    if len(labels) > 1 and numbered:
        c.fail("appendix.numbering", numbered[0].label, "có từ hai phụ lục trở lên phải đánh số La Mã: "
               "“Phụ lục I”, “Phụ lục II” — §6", measured=numbered[0].label.stripped, allowed="Phụ lục I",
               section="§6")
    for a in labels:
        bad = c.style_ok(a.label, "appendix_label", upper=False)
        bad += ["không căn giữa"] if a.label.align != "center" else []
        if bad:
            c.fail("appendix.style", a.label, f"dòng “Phụ lục …”: {', '.join(bad)}; Nghị định: đậm, đứng, cỡ "
                   f"{R['size.appendix_label'].words()}, căn giữa — §6", measured=", ".join(bad), section="§6")
            break
    for a in labels:
        if a.reference is not None and (not a.reference.all("italic") or a.reference.align != "center"):
            c.fail("appendix.reference", a.reference, "dòng “(Kèm theo …)” phải in nghiêng, căn giữa — §6",
                   section="§6")
            break
