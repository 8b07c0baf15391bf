"""Build settings, read from the ``vanban`` plugin entry of ``mkdocs.yml``.

The CLI, the MkDocs plugin and the tests all read settings through
``load_settings`` so that one file configures the portal, where users of
MkDocs look for it. Every option has a default and a help text; the README's
settings table is checked against ``Settings`` by a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


def _option(default: T, help: str) -> T:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings:
    """Options of the ``vanban`` plugin in ``mkdocs.yml``; paths are relative to that file."""

    content_dir: Path = _option(Path("content"), "Thư mục chứa các văn bản (*.txt) và sổ cơ quan ban hành.")
    cache_dir: Path = _option(Path(".cache/vanban"), "Bộ nhớ đệm: chỉ mục whoosh và kết quả đọc theo mã băm.")
    page_size: int = _option(20, "Số văn bản mỗi trang danh sách.")
    feed_size: int = _option(50, "Số văn bản mới nhất trong nguồn tin Atom.")
    home_size: int = _option(10, "Số văn bản mới nhất trên trang chủ.")
    jurisdiction: str = _option("Việt Nam", "Phạm vi áp dụng ghi trong dữ liệu schema.org.")
    host: str = _option(
        "github-pages",
        "Nơi đăng trang (github-pages, cloudflare-pages, cloudflare-pages-paid, gitlab-pages, own-server):"
        " bản dựng cảnh báo khi trang vượt giới hạn của nơi đăng.",
    )
    publish_unissued: bool = _option(
        True, "Đăng cả văn bản chưa ghi số hoặc ngày (có nhãn và lời giải thích); false để giữ lại."
    )

    def resolve(self, root: Path) -> Settings:
        """The same settings with paths made absolute against ``root``."""
        resolved: dict[str, Any] = {
            f.name: (root / value if isinstance(value, Path) and not value.is_absolute() else value)
            for f in fields(self)
            for value in [getattr(self, f.name)]
        }
        return Settings(**resolved)


def load_settings(config_file: Path = Path("mkdocs.yml")) -> Settings:
    """Settings from the ``vanban`` plugin entry of ``config_file``, with absolute paths."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    options: dict[str, object] = {}
    for plugin in config.get("plugins", []) or []:
        if isinstance(plugin, dict) and "vanban" in plugin:
            options = dict(plugin["vanban"] or {})
    return settings_from_options(options).resolve(config_file.resolve().parent)


def settings_from_options(options: dict[str, object]) -> Settings:
    """Typed settings from a plain option mapping; unknown options are an error."""
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(options) - set(known))
    if unknown:
        listed = ", ".join(known)
        raise ValueError(f"Tùy chọn không có của plugin vanban: {', '.join(unknown)} (có: {listed})")
    typed: dict[str, Any] = {}
    for name, value in options.items():
        default: Any = known[name].default
        if isinstance(default, bool) and not isinstance(value, bool):
            raise ValueError(
                f"Tùy chọn {name} của plugin vanban phải là true hoặc false, không phải {value!r}"
            )
        typed[name] = Path(str(value)) if isinstance(default, Path) else type(default)(value)
    return Settings(**typed)


class _LenientLoader(yaml.SafeLoader):
    """Safe loader that ignores MkDocs' ``!ENV`` / ``!!python/name`` tags instead of failing."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)
