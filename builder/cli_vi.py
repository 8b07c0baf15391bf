"""click's own messages (usage, --help, errors) in Vietnamese: the one adapter to click's internals.

click marks its messages with ``gettext`` but ships no Vietnamese catalogue, and
its modules bind ``_``/``ngettext`` at import. ``install()`` rebinds those names in
click's modules to look up ``MESSAGES`` first (any message not listed stays as
click wrote it). This touches click's private module globals, so it lives here
alone and ``tests/test_cli_vi.py`` pins it: if a click release renames them, that
test fails rather than the CLI silently speaking English again.
"""

from __future__ import annotations

import gettext
import importlib

CLICK_MODULES = (
    "click.core",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.decorators",
    "click.utils",
)
"""click's modules that call ``_`` or ``ngettext`` on messages staff can see."""

MESSAGES: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Các lệnh",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Gõ '{command} {option}' để xem hướng dẫn.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Missing command.": "Thiếu tên lệnh.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các tham số ({args})",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "{name} {filename!r} does not exist.": "Không tìm thấy {filename!r}: kiểm tra lại tên và đường dẫn.",
    "{name} {filename!r} is a directory.": "{filename!r} là một thư mục; cần một tệp.",
    "{name} {filename!r} is a file.": "{filename!r} là một tệp; cần một thư mục.",
    "{name} {filename!r} is not readable.": "Không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được vào {filename!r}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải số hợp lệ.",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không phải một trong {choices}.",
    "Aborted!": "Đã dừng.",
    "Error: invalid input": "Lỗi: giá trị không hợp lệ",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
}
"""click's message (as in its source) -> what staff read."""


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    chosen = singular if count == 1 else plural
    return MESSAGES.get(chosen, chosen)


def install() -> None:
    """Make click speak Vietnamese (idempotent)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def patched_modules() -> list[str]:
    """click's modules whose ``_`` is ours now (what the pinning test checks)."""
    return [name for name in CLICK_MODULES if getattr(importlib.import_module(name), "_", None) is _gettext]


__all__ = ["MESSAGES", "gettext", "install"]
