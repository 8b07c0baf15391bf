"""Letters the site tests commit next to the seeds, made from the seeds' own text.

- ``CITING``: a new letter of the same issuer that cites seed 002 (2642/UBND-VX) and
  carries a correction note; seed 002's page must link back to it.
- ``WITHDRAWN``: a copy of seed 004 withdrawn in its front matter.
- ``HOSTILE``: a copy of seed 000 with ``<script>``, ``<img onerror>`` and ``javascript:``
  links in its subject, body and signer; nothing of it may run.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO

CITING = "2021/cv-2700-ubnd-vx.txt"
WITHDRAWN = "2021/thu-hoi-mai-son.txt"
HOSTILE = "2021/thu-xss.txt"
WITHDRAWN_REASON = "Đăng nhầm bản dự thảo chưa ký."
CORRECTION = "Sửa thời hạn hoàn thành ở mục 4."
PAYLOAD_MARK = "__xss"
"""Every payload sets ``window.__xss``; the browser test asserts it never exists."""


def _seed(name: str) -> str:
    return (REPO / "content" / name).read_text(encoding="utf-8")


def citing_letter() -> str:
    text = _seed("002_1df910771a3bcb65.txt")
    text = text.replace("Số: 2642/UBND-VX", "Số: 2700/UBND-VX", 1)
    text = text.replace("ngày 26 tháng 8 năm 2021", "ngày 28 tháng 8 năm 2021", 1)
    opening = "Trước tình hình dịch bệnh Covid-19"
    cite = (
        "Thực hiện Công văn số 2642/UBND-VX ngày 26/8/2021 của UBND tỉnh Lai Châu về tăng cường "
        "các biện pháp phòng, chống dịch Covid-19.\n\n"
    )
    text = text.replace(opening, cite + opening, 1)
    front = f'---\ndinh_chinh:\n  - ngay: "2021-08-30"\n    noi_dung: "{CORRECTION}"\n---\n'
    return front + text


def withdrawn_letter() -> str:
    front = f'---\nthu_hoi:\n  ngay: "2021-09-20"\n  ly_do: "{WITHDRAWN_REASON}"\n---\n'
    return front + _seed("004_8b77143a53b7dc4f.txt")


def hostile_letter() -> str:
    text = _seed("000_7b39c955ad7f8a28.txt")
    subject = "V/v thực hiện Kết luận"
    text = text.replace(
        subject,
        "V/v <script>window.__xss=1</script> kiểm tra <img src=x onerror=window.__xss=2> "
        "[bấm](javascript:window.__xss=3) thực hiện Kết luận",
        1,
    )
    body = "Chủ tịch UBND huyện yêu cầu"
    text = text.replace(
        body,
        'Đoạn thử: <script>window.__xss=4</script> <img src=x onerror="window.__xss=5"> '
        '[liên kết](javascript:window.__xss=6) <a href="javascript:window.__xss=7">bấm</a> hết.\n\n' + body,
        1,
    )
    text = text.replace("Kiều Hải Nam", "Kiều Hải Nam <img src=x onerror=window.__xss=8>", 1)
    return text


def extra_letters() -> dict[str, str]:
    return {CITING: citing_letter(), WITHDRAWN: withdrawn_letter(), HOSTILE: hostile_letter()}


def records_by_file(site: Path) -> dict[str, dict]:
    """Per-letter open data, keyed by the committed file. A withdrawn letter has none (its
    page stays): its id and URL come from reading the project's content/ again."""
    from builder.archive.read import read_archive
    from builder.publish.wording import letter_url

    records = {}
    for path in sorted((site / "data" / "van-ban").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        records[record["tep_goc"]] = record
    for letter in read_archive(site.parent / "content").letters:
        if letter.thu_hoi is not None:
            records.setdefault(
                letter.tep_goc, {"tep_goc": letter.tep_goc, "id": letter.id, "url": letter_url(letter)}
            )
    return records


def page_path(record: dict) -> str:
    """Site-relative path of a letter page from its open-data URL."""
    url = record["url"]
    return url[url.index("van-ban/") :]
