"""Whose portal this is: the agency that runs it, from ``extra.co_quan`` in ``mkdocs.yml``.

A state portal must say which body runs it, how to reach it and who answers
for its content (NĐ 42/2022, Điều 4 and 24). The values are configuration, not
code: one block in ``mkdocs.yml`` names the body (full and short name), its
emblem, address, phone, email, the person responsible for content and the
legal basis line. The header shows the short name and emblem, the footer and
the "Giới thiệu" page the whole block. ``gia_tri_mau: true`` marks the values
as placeholders: every page then says so, until the real ones are filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

REQUIRED = ("ten", "ten_ngan", "dia_chi", "dien_thoai", "email", "nguoi_chiu_trach_nhiem", "can_cu_phap_ly")
"""Keys the block must give (``bieu_tuong`` and ``gia_tri_mau`` are optional)."""


@dataclass(frozen=True, slots=True)
class Agency:
    """The body that runs the portal, as its pages name it."""

    ten: str
    """Full name: "Ủy ban nhân dân tỉnh Lai Châu"."""
    ten_ngan: str
    """Short name for the phone header: "UBND tỉnh Lai Châu"."""
    dia_chi: str
    dien_thoai: str
    email: str
    nguoi_chiu_trach_nhiem: str
    """Person responsible for the content (NĐ 42/2022): name and title."""
    can_cu_phap_ly: str
    """The legal basis line ("Trang được lập theo Nghị định 42/2022/NĐ-CP ...")."""
    bieu_tuong: str | None = None
    """Emblem image, a path under the theme or docs folder ("assets/images/quoc-huy.svg")."""
    gia_tri_mau: bool = False
    """The values are placeholders: pages show a notice until they are replaced."""

    @property
    def dien_thoai_uri(self) -> str:
        """``tel:`` link target: digits and a leading + only."""
        return "tel:" + "".join(c for c in self.dien_thoai if c.isdigit() or c == "+")


def agency_from_extra(extra: object) -> Agency | None:
    """The ``co_quan`` block of MkDocs' ``extra``; None when absent. ValueError names what is wrong."""
    block = extra.get("co_quan") if isinstance(extra, Mapping) else None
    if block is None:
        return None
    where = "mkdocs.yml, mục extra.co_quan"
    if not isinstance(block, Mapping):
        raise ValueError(f"{where}: cần các dòng 'khóa: giá trị' ({', '.join(REQUIRED)})")
    known = {f.name for f in fields(Agency)}
    unknown = sorted(set(block) - known)
    if unknown:
        raise ValueError(f"{where}: khóa không có: {', '.join(unknown)} (có: {', '.join(sorted(known))})")
    missing = [key for key in REQUIRED if not isinstance(block.get(key), str) or not block[key].strip()]
    if missing:
        raise ValueError(f"{where}: thiếu hoặc để trống: {', '.join(missing)} — ghi mỗi khóa một chuỗi chữ")
    emblem = block.get("bieu_tuong")
    if emblem is not None and (not isinstance(emblem, str) or not emblem.strip()):
        raise ValueError(f"{where}: bieu_tuong phải là đường dẫn tệp ảnh, ví dụ assets/images/quoc-huy.svg")
    placeholder = block.get("gia_tri_mau", False)
    if not isinstance(placeholder, bool):
        raise ValueError(f"{where}: gia_tri_mau phải là true hoặc false")
    values = {key: block[key].strip() for key in REQUIRED}
    return Agency(**values, bieu_tuong=emblem.strip() if emblem else None, gia_tri_mau=placeholder)
