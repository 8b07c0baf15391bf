"""The ``vanban`` command: thin wrappers that turn options into library calls.

Each command reads its settings from ``mkdocs.yml`` (``--config``), calls one
function of the stage it belongs to and prints the result; no logic lives here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from builder import cli_vi
from builder.letters.letter import Diagnostic, Severity
from builder.settings import Settings, load_settings

cli_vi.install()  # click's own usage, help and error messages in Vietnamese

CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="TỆP",
    default=Path("mkdocs.yml"),
    show_default=True,
    help="Tệp cấu hình MkDocs có mục plugin vanban.",
)


class _NoTraceback(click.Group):
    """Any failure a command did not foresee is one Vietnamese line, never a traceback
    (VANBAN_DEBUG=1 shows it for developers)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:
            if os.environ.get("VANBAN_DEBUG"):
                raise
            click.echo(_failure_line(error), err=True)
            sys.exit(1)


def _failure_line(error: Exception) -> str:
    where = getattr(error, "filename", None) or "vanban"
    detail = " ".join(str(error).split())[:300]
    return (
        f"{where}:1: lỗi: không hoàn thành được ({type(error).__name__}: {detail}) — kiểm tra tệp được nêu"
        " và quyền ghi thư mục; nếu vẫn lỗi, báo cho nhóm phát triển"
        " (chạy lại với VANBAN_DEBUG=1 để xem chi tiết)"
    )


@click.group(
    cls=_NoTraceback,
    subcommand_metavar="LỆNH [THAM SỐ]...",
    options_metavar="[TÙY CHỌN]",
    context_settings={"help_option_names": ["-h", "--help"]},
)
def main() -> None:
    """Cổng văn bản: kiểm tra, chuẩn hóa, lập chỉ mục và xuất bản văn bản."""


def settings_for(config_file: Path) -> Settings:
    """Settings from ``config_file``, or the defaults when there is none."""
    if config_file.exists():
        return load_settings(config_file)
    return Settings().resolve(Path.cwd())


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Print problems for people, and as annotations when running under GitHub Actions."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
        if annotate:
            click.echo(diagnostic.github_annotation())


def exit_code(diagnostics: list[Diagnostic]) -> int:
    """1 when any diagnostic is an error."""
    return 1 if any(d.severity is Severity.ERROR for d in diagnostics) else 0


# --- vanban new / vanban import (staff tools) ------------------------------------------------------


def _ask(value: str | None, label: str, default: str | None = None, ask: bool = True) -> str:
    """The option's value, or the answer to a prompt when it was not given (else ``default``)."""
    if value is not None:
        return value
    if not ask and default is not None:
        return default
    return click.prompt(label, default=default, show_default=bool(default))


def _ask_list(values: tuple[str, ...], label: str, default: str = "", ask: bool = True) -> list[str]:
    """Repeated option values, or items typed on one line separated by ";"."""
    from builder.staff.new_letter import split_list

    if values:
        return [item for value in values for item in split_list(value)]
    return split_list(click.prompt(label, default=default, show_default=bool(default)) if ask else default)


def _body_text(path: Path) -> str:
    """The body file of ``vanban new``, read as a committed letter is (``decoding``): legacy
    encodings converted or refused with the line, binary files refused, never a traceback."""
    from builder.letters.letter import Diagnostic, LetterError, Severity
    from builder.text.decoding import decode
    from builder.text.limits import MAX_FILE_BYTES

    if (size := path.stat().st_size) > MAX_FILE_BYTES:
        raise LetterError(
            [
                Diagnostic(
                    str(path),
                    1,
                    Severity.ERROR,
                    f"Tệp quá lớn ({size / 1e6:.1f} MB; một văn bản tối đa {MAX_FILE_BYTES / 1e6:.0f} MB)",
                    "Kiểm tra lại: có thể chọn nhầm tệp; phụ lục lớn đăng thành tệp PDF bản gốc",
                )
            ]
        )
    from builder.letters.checks import hidden_characters

    decoded = decode(path.read_bytes(), str(path))
    for note in decoded.notes:
        click.echo(f"{path}: {note}", err=True)
    print_diagnostics(hidden_characters(str(path), decoded.hidden))
    return decoded.text


@main.command("new")
@click.option(
    "--co-quan", help="Cơ quan ban hành, ví dụ 'Ủy ban nhân dân huyện Mường Tè' (dấu | để ngắt dòng)."
)
@click.option(
    "--co-quan-chu-quan", help="Cơ quan chủ quản in phía trên (nếu có), ví dụ 'UBND tỉnh Lai Châu'."
)
@click.option("--loai", help="Loại văn bản: Công văn, Thông báo, Kế hoạch, Quyết định, ...")
@click.option("--so", help="Số văn bản; để trống khi chưa cấp số (bổ sung sau khi ký).")
@click.option("--ky-hieu", help="Ký hiệu sau dấu /, ví dụ UBND-VP (công văn) hoặc TB-UBND.")
@click.option("--dia-danh", help="Địa danh của dòng ngày tháng, ví dụ 'Mường Tè'.")
@click.option("--ngay", help="Ngày ban hành: 26/8/2021, hoặc 8/2021 khi chưa có ngày.")
@click.option("--trich-yeu", help="Trích yếu (không ghi 'V/v').")
@click.option("--kinh-gui", multiple=True, help="Nơi gửi; lặp lại tùy chọn hoặc cách nhau bởi dấu ;.")
@click.option("--tham-quyen", multiple=True, help="Dòng thẩm quyền ký, ví dụ 'TM. ỦY BAN NHÂN DÂN'; lặp lại.")
@click.option("--chuc-vu", help="Chức vụ người ký, ví dụ 'Phó Chủ tịch'.")
@click.option("--nguoi-ky", help="Họ và tên người ký.")
@click.option(
    "--noi-nhan",
    multiple=True,
    help="Nơi nhận; lặp lại hoặc cách nhau bởi dấu ; (mặc định: Như trên; Lưu: VT).",
)
@click.option("--do-khan", help="Độ khẩn nếu có: Khẩn, Thượng khẩn, Hỏa tốc.")
@click.option(
    "--noi-dung-tu",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Tệp văn bản UTF-8 chứa phần nội dung; không có thì ghi một đoạn giữ chỗ.",
)
@click.option("--ten-tep", help="Tên tệp (không cần .txt); mặc định lấy từ số, ký hiệu hoặc trích yếu.")
@CONFIG_OPTION
def new_command(config_file: Path, noi_dung_tu: Path | None, ten_tep: str | None, **given: Any) -> None:
    """Tạo một văn bản mới theo mẫu chuẩn trong content/<năm>/ (hỏi những gì chưa nhập)."""
    from builder.letters.letter import LetterError
    from builder.staff.new_letter import (
        ADDRESSED_TYPES,
        BODY_PLACEHOLDER,
        NewLetter,
        create_letter,
        number_in_use,
        registered_issuer,
    )
    from builder.staff.new_letter_answers import (
        check_authorities,
        check_recipients,
        check_symbol,
        check_type,
        check_urgency,
        parse_date,
        parse_number,
    )
    from builder.text.vietnamese import canonical_key

    content_dir = settings_for(config_file).content_dir
    required = ["co_quan", "ky_hieu", "ngay", "trich_yeu", "chuc_vu", "nguoi_ky"]
    if canonical_key(str(given["loai"] or "Công văn")) in {canonical_key(t) for t in ADDRESSED_TYPES}:
        required.append("kinh_gui")  # a Thông báo, Quyết định … may have no Kính gửi
    ask = not all(given[name] for name in required)  # all given on the command line: ask nothing else
    try:
        co_quan = _ask(given["co_quan"], "Cơ quan ban hành")
        known = registered_issuer(content_dir, co_quan)
        chu_quan = (
            _ask(given["co_quan_chu_quan"], "Cơ quan chủ quản (để trống nếu không có)", "", ask) or None
        )
        loai = _ask_valid(given["loai"], "Loại văn bản", check_type, "Công văn", ask)
        so_label = "Số (để trống nếu chưa cấp số)"
        so = _ask_valid(given["so"], so_label, parse_number, "", ask)
        ky_hieu = _ask_valid(given["ky_hieu"], "Ký hiệu (sau dấu /, ví dụ UBND-VP)", check_symbol)
        dia_danh = _ask(given["dia_danh"], "Địa danh (dòng ngày tháng)", known[1] if known else None, ask)
        ngay = _ask_valid(
            given["ngay"], "Ngày ban hành (26/8/2021, hoặc 8/2021 nếu chưa có ngày)", parse_date
        )
        while (used := number_in_use(content_dir, co_quan, so, int(ngay[:4]))) is not None:
            message = f"Số {so} của {co_quan} năm {ngay[:4]} đã dùng ở tệp content/{used}"
            if given["so"] is not None or not ask:
                raise ValueError(message + " — kiểm tra lại số văn bản")
            click.echo(f"  {message}. Nhập lại số.", err=True)
            so = _ask_valid(None, so_label, parse_number, "", ask)
        addressed_hint = None if loai in ADDRESSED_TYPES else ""  # a Thông báo may have no Kính gửi
        letter = NewLetter(
            co_quan_ban_hanh=co_quan,
            co_quan_chu_quan=chu_quan,
            loai_van_ban=loai,
            so=so,
            ky_hieu=ky_hieu,
            dia_danh=dia_danh,
            ngay_ban_hanh=ngay,
            trich_yeu=_ask(given["trich_yeu"], "Trích yếu (không ghi V/v)"),
            do_khan=_ask_valid(
                given["do_khan"],
                "Độ khẩn (Khẩn, Thượng khẩn, Hỏa tốc; để trống nếu không)",
                check_urgency,
                "",
                ask,
            ),
            kinh_gui=_ask_list_valid(
                given["kinh_gui"],
                "Kính gửi (cách nhau bởi dấu ;"
                + ("; để trống nếu không có)" if addressed_hint == "" else ")"),
                lambda items: check_recipients(loai, items),
                addressed_hint,
            ),
            tham_quyen_ky=_ask_list_valid(
                given["tham_quyen"],
                "Thẩm quyền ký (ví dụ: KT. CHỦ TỊCH; để trống nếu không)",
                check_authorities,
                "",
                ask,
            ),
            chuc_vu_nguoi_ky=_ask(given["chuc_vu"], "Chức vụ người ký"),
            nguoi_ky=_ask(given["nguoi_ky"], "Họ tên người ký"),
            noi_nhan=_ask_list(given["noi_nhan"], "Nơi nhận (cách nhau bởi dấu ;)", "Như trên; Lưu: VT", ask),
            noi_dung=_body_text(noi_dung_tu) if noi_dung_tu else BODY_PLACEHOLDER,
        )
        path = create_letter(content_dir, letter, ten_tep)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    except LetterError as error:
        print_diagnostics(error.diagnostics)
        sys.exit(1)
    click.echo(f"Đã tạo {path}.")
    if noi_dung_tu is None:
        click.echo(
            "Thay đoạn giữ chỗ bằng nội dung văn bản đã ký trước khi commit (còn nó thì không được đăng)."
        )
    click.echo(f"Kiểm tra: vanban check {path}")


def _ask_valid(value: str | None, label: str, convert, default: str | None = None, ask: bool = True):
    """``convert`` of the option's value (an invalid one is an error), or of the answer to a
    prompt, asked again after a bad answer instead of ending the session and losing every answer."""
    if value is not None:
        return convert(value)
    if not ask and default is not None:
        return convert(default)
    while True:
        answer = click.prompt(label, default=default, show_default=bool(default))
        try:
            return convert(answer)
        except ValueError as error:
            click.echo(f"  {error}. Nhập lại.", err=True)


def _ask_list_valid(values: tuple[str, ...], label: str, convert, default: str | None = "", ask: bool = True):
    """Like ``_ask_list``, asked again while ``convert`` refuses the items."""
    from builder.staff.new_letter import split_list

    if values:
        return convert([item for value in values for item in split_list(value)])
    if not ask and default is not None:
        return convert(split_list(default))
    while True:
        answer = click.prompt(label, default=default, show_default=bool(default))
        try:
            return convert(split_list(answer))
        except ValueError as error:
            click.echo(f"  {error}. Nhập lại.", err=True)


@main.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Thư mục ghi văn bản (mặc định: thư mục content/ của cấu hình); tệp vào <thư mục>/<năm>/.",
)
@CONFIG_OPTION
def import_command(files: tuple[Path, ...], out: Path | None, config_file: Path) -> None:
    """Chuyển văn bản Word (.docx) thành tệp .txt theo định dạng chuẩn, không ghi đè tệp đã có."""
    from builder.staff.docx_import import import_files

    content_dir = settings_for(config_file).content_dir
    results = import_files(files, out or content_dir, content_dir)
    diagnostics = [d for result in results for d in result.diagnostics]
    for result in results:
        if result.target is not None:
            click.echo(f"{result.source} → {result.target}")
    print_diagnostics(diagnostics)
    sys.exit(exit_code(diagnostics))


@main.command("precompress")
@click.argument(
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
)
def precompress_command(site_dir: Path) -> None:
    """Nén sẵn (gzip) các tệp văn bản của trang đã dựng, để máy chủ web (nginx
    ``gzip_static on``) gửi thẳng tệp .gz. Chạy sau ``vanban build``."""
    from builder.staff.precompress import describe, precompress

    try:
        report = precompress(site_dir)
    except FileNotFoundError as error:
        raise click.UsageError(f"{error}. Hãy chạy vanban build trước.") from error
    click.echo(describe(report))


@main.command("build")
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Dừng khi MkDocs có cảnh báo.")
def build_command(config_file: Path, strict: bool) -> None:
    """Dựng trang web tĩnh từ content/ vào site/ (như `mkdocs build`; site/ cũ giữ nguyên nếu lỗi)."""
    from builder.publish.mkdocs_commands import build_site

    build_site(config_file, strict=strict)


@main.command("serve")
@CONFIG_OPTION
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Địa chỉ:cổng.")
def serve_command(config_file: Path, dev_addr: str) -> None:
    """Dựng và phục vụ trang tại máy, tự dựng lại khi content/ thay đổi (như `mkdocs serve`)."""
    from builder.publish.mkdocs_commands import serve_site

    serve_site(config_file, dev_addr)


def _day_option(_context: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A day typed as 1/7/2025, 01-07-2025 or 2025-07-01, as an ISO date."""
    import datetime
    import re

    if not value:
        return None
    text = value.strip()
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text, re.ASCII)
    parts = found.groups() if found else None
    if parts is None and (found := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text, re.ASCII)):
        parts = (found.group(3), found.group(2), found.group(1))
    if parts is None:
        raise click.BadParameter(f"'{value}' không phải là ngày; hãy viết ngày/tháng/năm, ví dụ 1/7/2025.")
    try:
        return datetime.date(*(int(part) for part in parts)).isoformat()
    except ValueError:
        raise click.BadParameter(
            f"Không có ngày '{value}' trong lịch; hãy kiểm tra lại ngày và tháng."
        ) from None


@main.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="In danh sách JSON {id, score, …} theo thứ hạng.")
@click.option("--co-quan", help="Chỉ văn bản của cơ quan ban hành này (tên hoặc slug).")
@click.option("--nam", type=int, help="Chỉ văn bản ban hành trong năm này.")
@click.option("--loai", help="Chỉ văn bản thuộc loại này (tên hoặc slug, ví dụ: Công văn).")
@click.option(
    "--tu-ngay",
    callback=_day_option,
    help="Chỉ văn bản ban hành từ ngày này, ví dụ 1/7/2025 hoặc 2025-07-01.",
)
@click.option("--den-ngay", callback=_day_option, help="Chỉ văn bản ban hành đến hết ngày này.")
@click.option("--nguoi-ky", help="Chỉ văn bản do người này ký (có dấu hoặc không dấu).")
@click.option("--limit", type=int, default=10, show_default=True, help="Số kết quả tối đa.")
@CONFIG_OPTION
def search_command(
    query: str,
    as_json: bool,
    co_quan: str | None,
    nam: int | None,
    loai: str | None,
    tu_ngay: str | None,
    den_ngay: str | None,
    nguoi_ky: str | None,
    limit: int,
    config_file: Path,
) -> None:
    """Tìm văn bản bằng chỉ mục whoosh (cùng thứ hạng với trang tìm kiếm)."""
    import json

    from builder.search.whoosh_index import search_archive

    settings = settings_for(config_file)
    hits = search_archive(
        settings.content_dir,
        settings.cache_dir,
        query,
        co_quan=co_quan,
        nam=nam,
        loai=loai,
        limit=limit,
        tu_ngay=tu_ngay,
        den_ngay=den_ngay,
        nguoi_ky=nguoi_ky,
    )
    if as_json:
        click.echo(json.dumps([hit.to_json() for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("Không tìm thấy văn bản nào.")
        return
    for rank, hit in enumerate(hits, 1):
        number = hit.so_ky_hieu or "(chưa có số)"
        click.echo(f"{rank}. {number} — {hit.ngay_ban_hanh} — {hit.trich_yeu} [{hit.id}] ({hit.score:.3f})")


# --- vanban check / vanban normalize (reader) -------------------------------------------------------


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True), metavar="[ĐƯỜNG_DẪN]...")
@CONFIG_OPTION
def check_command(paths: tuple[Path, ...], config_file: Path) -> None:
    """Kiểm tra văn bản (mặc định: cả thư mục content/); mã thoát 1 khi có lỗi."""
    from builder.archive.read import diagnostics_for, read_archive

    settings = settings_for(config_file)
    if paths:
        diagnostics = diagnostics_for(list(paths), settings.content_dir, settings.cache_dir)
        checked = len({d.path for d in diagnostics})
        summary = f"Đã kiểm tra {len(paths)} đường dẫn"
    else:
        archive = read_archive(settings.content_dir, settings.cache_dir)
        diagnostics = archive.diagnostics
        checked = len(archive.letters)
        summary = f"{checked} văn bản hợp lệ"
    print_diagnostics(diagnostics)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    click.echo(f"{summary}: {errors} lỗi, {len(diagnostics) - errors} cảnh báo.", err=True)
    sys.exit(exit_code(diagnostics))


@main.command("normalize")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Thư mục ghi các tệp <id>.md (phần đầu YAML + nội dung Markdown).",
)
@CONFIG_OPTION
def normalize_command(out_dir: Path, config_file: Path) -> None:
    """Ghi mỗi văn bản hợp lệ thành DIR/<id>.md; mã thoát 1 khi có lỗi."""
    from builder.archive.read import read_archive
    from builder.letters.markdown_out import write_markdown

    settings = settings_for(config_file)
    archive = read_archive(settings.content_dir, settings.cache_dir)
    print_diagnostics(archive.diagnostics)
    written = write_markdown(map(archive.store.with_body, archive.letters), out_dir)
    click.echo(f"Đã ghi {len(written)} tệp vào {out_dir} ({archive.reused} lấy từ bộ nhớ đệm).", err=True)
    sys.exit(exit_code(archive.diagnostics))


for _command in main.commands.values():  # "[OPTIONS]" in every usage line, in Vietnamese
    _command.options_metavar = "[TÙY CHỌN]"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
