"""What can be wrong with a letter, told to the staff who committed it.

Every message is Vietnamese and follows ``path:line: lỗi|cảnh báo: what — how
to fix`` (``Diagnostic.__str__``). Errors keep a letter off the site; warnings
publish it and ask for a fix. ``check_letter`` looks at one letter,
``check_archive`` at all of them together (numbers used twice, ids shared).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from builder.letters.blocks import ParsedLetter
from builder.letters.citations import symbol_key
from builder.letters.letter import Diagnostic, Letter, Severity
from builder.letters.registry import REGISTRY_FILE, IssuerMatch, MatchKind, PlaceMatch
from builder.letters.rules import plausible
from builder.text.limits import FIELD_CHARACTERS, MAX_LIST_ITEMS
from builder.text.vietnamese import LOOK_ALIKES, canonical_key

FRONT_MATTER_HINT = "phần đầu YAML (khối giữa hai dòng '---' ở đầu tệp)"

TEMPLATE_PLACEHOLDER = "(Nội dung văn bản: thay đoạn này bằng nội dung đã ký trước khi đưa lên cổng.)"
"""The body ``vanban new`` writes when given none: an error until replaced, never published."""
_PLACEHOLDER_KEY = canonical_key("Nội dung văn bản: thay đoạn này bằng nội dung")
_PLACEHOLDER_WORD = "thay"
assert _PLACEHOLDER_WORD in _PLACEHOLDER_KEY


@dataclass(frozen=True, slots=True)
class Resolved:
    """What the registry made of a letter's printed issuer and place."""

    printed_issuer: str | None
    issuer: IssuerMatch | None
    printed_place: str | None
    place: PlaceMatch | None


def error(path: str, line: int, message: str, fix: str) -> Diagnostic:
    return Diagnostic(path, line, Severity.ERROR, message, fix)


def warning(path: str, line: int, message: str, fix: str) -> Diagnostic:
    return Diagnostic(path, line, Severity.WARNING, message, fix)


def not_a_regular_file(path: str) -> Diagnostic:
    """A link, device, FIFO or over-large file: not read, and nothing of it told."""
    return error(
        path,
        1,
        "Không đọc tệp này: không phải tệp thường trong content/ (liên kết, thiết bị, FIFO) hoặc quá lớn",
        "Chép chính tệp văn bản (tệp .txt thật, dưới 2 MB) vào content/ rồi commit lại",
    )


def unreadable(path: str, what: str) -> Diagnostic:
    """The reader failed on this file (a fault of the reader, told as an error on the file)."""
    return error(
        path,
        1,
        f"Không đọc được tệp này (lỗi của chương trình đọc: {what})",
        "Kiểm tra tệp có đúng là văn bản xuất từ Word; nếu đúng, báo cho nhóm phát triển kèm tệp này",
    )


MAX_HIDDEN_WARNINGS = 10
"""Lines told about hidden characters; the last warning says how many more lines had some."""


def hidden_characters(path: str, hidden: tuple[tuple[int, int, int], ...]) -> list[Diagnostic]:
    """Bidi controls and non-characters the decoding removed (``vietnamese.HIDDEN``), line by line."""
    out = []
    for number, (line, first, count) in enumerate(hidden[:MAX_HIDDEN_WARNINGS], start=1):
        more = len(hidden) - MAX_HIDDEN_WARNINGS if number == MAX_HIDDEN_WARNINGS else 0
        out.append(
            warning(
                path,
                line,
                f"Dòng này có {count} ký tự ẩn (đầu tiên là U+{first:04X}): ký tự điều khiển hướng chữ "
                "hoặc ký tự không dùng, làm đảo chiều hoặc hỏng chữ hiển thị; đã bỏ khi đăng"
                + (f" (còn {more} dòng khác có ký tự như vậy)" if more > 0 else ""),
                "Xóa ký tự đó trong tệp (thường lẫn vào khi chép từ trang web, PDF hay tin nhắn) rồi lưu lại",
            )
        )
    return out


def empty_file(path: str) -> Diagnostic:
    """A file with nothing but white space."""
    return error(
        path,
        1,
        "Tệp không có nội dung (chỉ có khoảng trắng)",
        "Đưa nội dung công văn vào tệp (xuất lại từ Word dạng văn bản thuần UTF-8) rồi commit lại",
    )


def check_placeholder(text: str, path: str) -> list[Diagnostic]:
    """The template's placeholder body left in a letter (``vanban new`` without a body) is an error."""
    if _PLACEHOLDER_WORD not in unicodedata.normalize("NFKC", text).translate(LOOK_ALIKES).lower():
        return []  # the canonical key keeps these letters: without them, no line can hold the placeholder
    if _PLACEHOLDER_KEY not in canonical_key(text):  # one pass over the text; lines only when found
        return []
    for number, line in enumerate(text.split("\n"), 1):
        if _PLACEHOLDER_KEY in canonical_key(line):
            return [
                error(
                    path,
                    number,
                    "Văn bản còn đoạn giữ chỗ của mẫu 'vanban new', chưa có nội dung thật",
                    "Thay đoạn '(Nội dung văn bản: thay đoạn này ...)' bằng nội dung văn bản đã ký",
                )
            ]
    return []


def check_letter(parsed: ParsedLetter, path: str, resolved: Resolved) -> list[Diagnostic]:
    """Problems of one letter on its own: errors that keep it off the site, then warnings."""
    lines = parsed.source_lines
    out: list[Diagnostic] = []
    if parsed.do_mat:
        out.append(
            error(
                path,
                lines.get("do_mat", 1),
                f"Văn bản có dấu độ mật '{parsed.do_mat.upper()}': "
                "văn bản mật không bao giờ được đăng công khai",
                "Xóa tệp này khỏi content/ (và khỏi lịch sử git nếu đã đẩy lên); chỉ đăng văn bản không mật",
            )
        )
    if not parsed.co_quan_ban_hanh and not parsed.ngay_ban_hanh and not parsed.ngay_khong_hop_le:
        out.append(_no_header(parsed, path))
    elif not parsed.co_quan_ban_hanh:
        out.append(
            error(
                path,
                1,
                "Không tìm thấy cơ quan ban hành ở đầu văn bản",
                "Ghi tên cơ quan ở các dòng đầu (ví dụ 'ỦY BAN NHÂN DÂN' / 'HUYỆN MƯỜNG TÈ') "
                f"hoặc thêm 'co_quan_ban_hanh: ...' vào {FRONT_MATTER_HINT}",
            )
        )
    if parsed.ngay_khong_hop_le:
        line = lines.get("ngay_ban_hanh", 1)
        out.append(
            error(
                path,
                line,
                f"Ngày ban hành không có thật: '{parsed.ngay_khong_hop_le}'",
                f"Sửa ngày ở dòng {line} cho đúng ngày ký, hoặc ghi 'ngay_ban_hanh: <năm>-<tháng>-<ngày>' "
                f"(ngày ký đúng) vào {FRONT_MATTER_HINT}",
            )
        )
    elif not parsed.ngay_ban_hanh and parsed.co_quan_ban_hanh:
        out.append(_no_year(parsed, path))
    if not parsed.loai_van_ban and (parsed.co_quan_ban_hanh or parsed.ngay_ban_hanh):
        line = lines.get("so", lines.get("ngay_ban_hanh", 1))
        symbol = f" (ký hiệu '{parsed.ky_hieu}' không chỉ ra loại)" if parsed.ky_hieu else ""
        out.append(
            error(
                path,
                line,
                f"Không xác định được tên loại văn bản{symbol}: không có dòng tên loại "
                "(QUYẾT ĐỊNH, NGHỊ QUYẾT …) và không có 'V/v' hay 'Kính gửi' của công văn",
                "Ghi tên loại bằng chữ in hoa trên một dòng riêng dưới dòng ngày tháng, hoặc thêm "
                f"'loai_van_ban: <tên loại in trên bản gốc>' vào {FRONT_MATTER_HINT}",
            )
        )
    out.extend(check_plausible(parsed, path, resolved))
    out.extend(check_sizes(parsed, path))
    out.extend(_draft_warnings(parsed, path))
    out.extend(_registry_warnings(resolved, parsed, path))
    out.extend(_missing_parts(parsed, path))
    for stray in parsed.stray_lines:
        out.append(
            warning(
                path,
                stray.lineno,
                f"Dòng '{stray.text}' không thuộc thành phần nào của văn bản (có thể là dấu chuyển văn bản "
                "bị quét vào); đã để ra ngoài trích yếu và nội dung",
                "Xóa dòng này nếu nó không phải của văn bản, hoặc chuyển nó về đúng chỗ",
            )
        )
    return out


def _date_hint(parsed: ParsedLetter) -> str:
    """The front-matter line to add for this file: a date printed in it, else the form to write."""
    if parsed.date_hints:
        line, iso, printed = parsed.date_hints[0]
        return (
            f"Trong văn bản có ngày '{printed}' (dòng {line}): nếu đó là ngày ký, thêm "
            f"'ngay_ban_hanh: {iso}' vào {FRONT_MATTER_HINT}"
        )
    return f"Thêm 'ngay_ban_hanh: <năm>-<tháng>-<ngày>' (ngày ký in trên bản gốc) vào {FRONT_MATTER_HINT}"


def _no_year(parsed: ParsedLetter, path: str) -> Diagnostic:
    """No year of issue: the date line is missing, or its year is blank."""
    line = parsed.source_lines.get("ngay_ban_hanh")
    if line is not None:
        return error(
            path,
            line,
            f"Dòng ngày tháng (dòng {line}) chưa ghi năm ban hành",
            f"Ghi năm vào dòng {line}, hoặc thêm 'ngay_ban_hanh: <năm>' vào {FRONT_MATTER_HINT}",
        )
    return error(
        path,
        parsed.source_lines.get("so", parsed.source_lines.get("co_quan_ban_hanh", 1)),
        "Không tìm thấy dòng 'Địa danh, ngày … tháng … năm …' nên không biết ngày ban hành",
        _date_hint(parsed),
    )


def _no_header(parsed: ParsedLetter, path: str) -> Diagnostic:
    """No issuer and no date: a page copied without the document's header (a portal post)."""
    keys = ["co_quan_ban_hanh: <tên cơ quan in trên bản gốc>", "ngay_ban_hanh: <năm>-<tháng>-<ngày>"]
    if not parsed.so_ky_hieu:
        keys.append("so_ky_hieu: <số/ký hiệu, ví dụ 12/QĐ-UBND>")
    if not parsed.loai_van_ban:
        keys.append("loai_van_ban: <Quyết định, Công văn …>")
    if not parsed.trich_yeu:
        keys.append("trich_yeu: <trích yếu>")
    hint = f" {_date_hint(parsed)}." if parsed.date_hints else ""
    return error(
        path,
        1,
        "Văn bản không có phần đầu (tên cơ quan ban hành, số, ngày tháng): có thể là bài đăng lại, "
        "không phải bản văn bản",
        "Chép lại phần đầu từ bản gốc, hoặc thêm vào phần đầu YAML (giữa hai dòng '---' ở đầu tệp) các khóa: "
        + "; ".join(keys)
        + "."
        + hint,
    )


def check_sizes(parsed: ParsedLetter, path: str) -> list[Diagnostic]:
    """A value longer than ``limits.FIELD_CHARACTERS`` (a list longer than ``MAX_LIST_ITEMS``) keeps
    the letter off the site: it would be copied onto every list page, the feed and the index."""
    out = []
    fix = (
        "Rút gọn giá trị (trích yếu chỉ tóm tắt nội dung, không chép cả văn bản); kiểm tra phần đầu YAML "
        "hoặc dòng đó có bị dán nhầm cả nội dung văn bản không"
    )
    for name, limit in FIELD_CHARACTERS.items():
        value = getattr(parsed, name, None)
        line = parsed.source_lines.get(name, 1)
        if isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                out.append(
                    error(
                        path,
                        line,
                        f"Trường '{name}' có {len(value)} mục, quá giới hạn {MAX_LIST_ITEMS} mục",
                        fix,
                    )
                )
                continue
            long = next(((i, v) for i, v in enumerate(value, 1) if len(str(v)) > limit), None)
            if long is not None:
                out.append(
                    error(
                        path,
                        line,
                        f"Mục thứ {long[0]} của trường '{name}' dài {len(str(long[1]))} ký tự, "
                        f"quá giới hạn {limit} ký tự",
                        fix,
                    )
                )
        elif isinstance(value, str) and len(value) > limit:
            out.append(
                error(path, line, f"Trường '{name}' dài {len(value)} ký tự, quá giới hạn {limit} ký tự", fix)
            )
    return out


def check_plausible(parsed: ParsedLetter, path: str, resolved: Resolved) -> list[Diagnostic]:
    """Values read from the text that do not look like what they should be (``rules.plausible``).

    An implausible issuer or year keeps the letter off the site; an implausible
    subject or signer is left empty. Values set in front matter are taken as given.
    """
    out: list[Diagnostic] = []
    lines, given = parsed.source_lines, parsed.given
    registered = resolved.issuer is not None and resolved.issuer.kind is not MatchKind.UNKNOWN
    issuer = parsed.co_quan_ban_hanh
    if issuer and "co_quan_ban_hanh" not in given and not registered:
        problem = plausible.issuer_problem(issuer)
        if problem:
            line = lines.get("co_quan_ban_hanh", 1)
            out.append(
                error(
                    path,
                    line,
                    f"Tên cơ quan ban hành đọc được ở dòng {line} là '{issuer}': {problem}",
                    f"Sửa dòng {line} cho chỉ còn tên cơ quan ban hành, hoặc thêm 'co_quan_ban_hanh: "
                    f"<tên cơ quan in trên bản gốc>' vào {FRONT_MATTER_HINT}",
                )
            )
    if parsed.ngay_ban_hanh and "ngay_ban_hanh" not in given:
        problem = plausible.year_problem(parsed.ngay_ban_hanh, dt.date.today().year + 1)
        if problem:
            line = lines.get("ngay_ban_hanh", 1)
            out.append(
                error(
                    path,
                    line,
                    f"Ngày ban hành đọc được ở dòng {line} là '{parsed.ngay_ban_hanh}': {problem}",
                    f"Sửa năm ở dòng {line}, hoặc thêm 'ngay_ban_hanh: <năm>-<tháng>-<ngày>' "
                    f"vào {FRONT_MATTER_HINT}",
                )
            )
    if parsed.trich_yeu and "trich_yeu" not in given:
        problem = plausible.subject_problem(parsed.trich_yeu)
        if problem:
            line = lines.get("trich_yeu", 1)
            out.append(
                warning(
                    path,
                    line,
                    f"Trích yếu đọc được từ dòng {line} {problem}; chưa đăng trích yếu",
                    f"Tách trích yếu thành dòng riêng dưới tên loại, hoặc thêm 'trich_yeu: ...' "
                    f"vào {FRONT_MATTER_HINT}",
                )
            )
            parsed.trich_yeu = None
    if parsed.nguoi_ky and "nguoi_ky" not in given:
        problem = plausible.signer_problem(parsed.nguoi_ky)
        if problem:
            line = lines.get("nguoi_ky", 1)
            out.append(
                warning(
                    path,
                    line,
                    f"Người ký đọc được ở dòng {line} là '{parsed.nguoi_ky}': {problem}; chưa đăng người ký",
                    f"Để họ tên người ký một dòng riêng dưới chức vụ, hoặc thêm 'nguoi_ky: ...' "
                    f"vào {FRONT_MATTER_HINT}",
                )
            )
            parsed.nguoi_ky = None
    named = plausible.type_conflict(parsed.loai_van_ban, parsed.ky_hieu)
    if named and not {"loai_van_ban", "ky_hieu", "so_ky_hieu"} & given:
        line = lines.get("loai_van_ban", 1)
        out.append(
            warning(
                path,
                line,
                f"Tên loại '{parsed.loai_van_ban}' (dòng {line}) khác loại mà ký hiệu '{parsed.ky_hieu}' "
                f"chỉ ra ('{named}')",
                f"Kiểm tra lại tên loại và dòng 'Số:'; nếu tên loại đúng, thêm 'loai_van_ban: "
                f"{parsed.loai_van_ban}' vào {FRONT_MATTER_HINT}",
            )
        )
    return out


def _draft_warnings(parsed: ParsedLetter, path: str) -> list[Diagnostic]:
    """A blank number or day: the letter is still a draft."""
    out = []
    if parsed.ky_hieu and parsed.so is None:
        out.append(
            warning(
                path,
                parsed.source_lines.get("so", 1),
                f"Văn bản chưa có số (bản dự thảo: 'Số: /{parsed.ky_hieu}')",
                f"Khi đã ký và cấp số, thêm 'so: <số>' vào {FRONT_MATTER_HINT} hoặc sửa dòng 'Số:'",
            )
        )
    if parsed.ngay_ban_hanh and len(parsed.ngay_ban_hanh) < 10:
        out.append(
            warning(
                path,
                parsed.source_lines.get("ngay_ban_hanh", 1),
                f"Ngày ban hành còn để trống (mới có '{parsed.ngay_ban_hanh}'): văn bản là bản dự thảo",
                f"Khi đã ký, thêm 'ngay_ban_hanh: {parsed.ngay_ban_hanh[:4]}-MM-DD' vào {FRONT_MATTER_HINT}",
            )
        )
    return out


def _registry_warnings(resolved: Resolved, parsed: ParsedLetter, path: str) -> list[Diagnostic]:
    """An issuer or place spelled unlike the registry, or an issuer the registry lacks."""
    out = []
    issuer_line = parsed.source_lines.get("co_quan_ban_hanh", 1)
    match = resolved.issuer
    if match and match.kind in (MatchKind.VARIANT, MatchKind.NEAR):
        out.append(
            warning(
                path,
                issuer_line,
                f"Tên cơ quan '{resolved.printed_issuer}' viết khác sổ cơ quan ban hành; "
                f"đã dùng tên chuẩn '{match.name}'",
                "Sửa tên trong văn bản cho đúng; nếu đây là một cơ quan khác thì thêm nó vào "
                f"content/{REGISTRY_FILE}",
            )
        )
    elif match and match.kind is MatchKind.UNKNOWN:
        out.append(
            warning(
                path,
                issuer_line,
                f"Cơ quan '{resolved.printed_issuer}' chưa có trong sổ cơ quan ban hành; "
                f"đã dùng tên in trên văn bản '{match.name}'",
                f"Thêm một mục (ten, tinh, dia_danh, slug) vào content/{REGISTRY_FILE} "
                "rồi chạy lại 'vanban check'",
            )
        )
    if resolved.place and resolved.place.corrected:
        out.append(
            warning(
                path,
                parsed.source_lines.get("dia_danh", 1),
                f"Địa danh '{resolved.printed_place}' viết khác sổ cơ quan ban hành; "
                f"đã dùng '{resolved.place.name}'",
                f"Sửa dòng ngày tháng cho đúng, hoặc ghi cách viết này vào dia_danh_viet_khac trong "
                f"content/{REGISTRY_FILE}",
            )
        )
    return out


def _missing_parts(parsed: ParsedLetter, path: str) -> list[Diagnostic]:
    """Parts a letter should have but the parser did not find."""
    out = []
    if not parsed.ky_hieu:
        out.append(
            warning(
                path,
                1,
                "Không tìm thấy dòng số, ký hiệu ('Số: 2642/UBND-VX')",
                "Ghi dòng 'Số: .../...' dưới tên cơ quan, "
                f"hoặc thêm 'ky_hieu: UBND-VP' vào {FRONT_MATTER_HINT}",
            )
        )
    if not parsed.trich_yeu:
        out.append(
            warning(
                path,
                parsed.source_lines.get("so", 1),
                "Không tìm thấy trích yếu ('V/v ...' hoặc dòng dưới tên loại)",
                "Ghi trích yếu dưới dòng số (công văn: 'V/v ...'), "
                f"hoặc thêm 'trich_yeu: ...' vào {FRONT_MATTER_HINT}",
            )
        )
    if not parsed.nguoi_ky:
        out.append(
            warning(
                path,
                parsed.source_lines.get("tham_quyen_ky", 1),
                "Không tìm thấy họ tên người ký ở cuối văn bản",
                f"Ghi họ tên người ký dưới chức vụ, hoặc thêm 'nguoi_ky: ...' vào {FRONT_MATTER_HINT}",
            )
        )
    return out


def check_archive(letters: list[tuple[Letter, str]]) -> list[Diagnostic]:
    """Problems between letters: one id for two files; one number twice for one issuer in one year.

    ``letters`` pairs each letter with the path its messages name.
    """
    out: list[Diagnostic] = []
    by_id: dict[str, list[tuple[Letter, str]]] = defaultdict(list)
    by_number: dict[tuple[str, int, str], list[tuple[Letter, str]]] = defaultdict(list)
    for letter, path in letters:
        by_id[letter.id].append((letter, path))
        if letter.so_ky_hieu:
            key = (canonical_key(letter.co_quan_ban_hanh), letter.nam, symbol_key(letter.so_ky_hieu))
            by_number[key].append((letter, path))
    for same in by_id.values():
        for letter, path in same if len(same) > 1 else []:
            others = ", ".join(p for _, p in same if p != path)
            out.append(
                error(
                    path,
                    1,
                    f"Tệp {path} có cùng mã văn bản '{letter.id}' với tệp {others}",
                    "Đổi tên một trong các tệp (mã lấy từ đường dẫn tệp, bỏ dấu và ký tự đặc biệt)",
                )
            )
    for same in by_number.values():
        if len(same) < 2:
            continue
        for letter, path in same:
            others = ", ".join(p for _, p in same if p != path)
            out.append(
                error(
                    path,
                    letter.source_lines.get("so_ky_hieu", letter.source_lines.get("so", 1)),
                    f"Số, ký hiệu '{letter.so_ky_hieu}' của {letter.co_quan_ban_hanh} năm {letter.nam} "
                    f"đã dùng ở tệp {others}",
                    "Mỗi số chỉ cấp một lần trong năm cho một cơ quan: kiểm tra lại số và sửa dòng 'Số:' "
                    "hoặc khóa 'so' ở tệp sai",
                )
            )
    return out
