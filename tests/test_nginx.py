"""deploy/nginx.conf, served by Debian's nginx on loopback.

The documented file itself is used (only its ``listen`` and ``root`` lines are
rewritten), first on a small site made here that holds every kind of file the
config promises something about, then on the real seed site, precompressed,
loaded in headless Chromium: a letter page and a search.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from cache_rules import LONG, is_hashed

from builder.staff.precompress import precompress

REPO = Path(__file__).resolve().parent.parent
CONF = REPO / "deploy" / "nginx.conf"
NGINX = Path(os.environ.get("NGINX", "/usr/sbin/nginx"))
PAGE_HTML = "<!doctype html><html lang='vi'><meta charset='utf-8'><title>Trang</title>" + (
    "<p>Ủy ban nhân dân huyện Mường Tè — văn bản chỉ đạo phòng, chống dịch.</p>" * 40
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_config(site_dir: Path, port: int) -> str:
    """deploy/nginx.conf with only its listen and root lines pointed at the test."""
    text = CONF.read_text(encoding="utf-8")
    text, listen = re.subn(r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{port};", text, flags=re.M)
    text, listen6 = re.subn(r"^\s*listen \[::\]:80;\n", "", text, flags=re.M)
    text, root = re.subn(r"^(\s*)root /var/www/vanban/site;$", rf'\1root "{site_dir}";', text, flags=re.M)
    assert (listen, listen6, root) == (1, 1, 1), "deploy/nginx.conf lost its listen/root lines"
    return text


def main_config(prefix: Path, port: int, site_dir: Path) -> Path:
    """A whole nginx.conf: everything (pid, logs, temp files) under ``prefix``."""
    (prefix / "site.conf").write_text(site_config(site_dir, port), encoding="utf-8")
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # pytest's temp folders are private to root: workers must run as root to read them.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    access_log {prefix / 'access.log'};\n{temp}\n    sendfile on;\n"
        f"    include {prefix / 'site.conf'};\n}}\n",
        encoding="utf-8",
    )
    return conf


def _require_nginx() -> None:
    if not NGINX.exists():
        pytest.fail(f"nginx not found at {NGINX}: apt-get install nginx (Debian's package)")


class Nginx:
    """One nginx master serving one folder on 127.0.0.1; stopped by ``stop()``."""

    def __init__(self, prefix: Path, site_dir: Path):
        _require_nginx()
        prefix.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        conf = main_config(prefix, self.port, site_dir)
        command = [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while True:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace") if self.process.stdout else ""
                pytest.fail(f"nginx exited ({self.process.returncode}): {output}\n{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"nginx did not listen on {self.port}:\n{self.error_log()}")
                time.sleep(0.05)

    def error_log(self) -> str:
        log = self.prefix / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Status, headers (lower-case names) and raw body, exactly as nginx sent them."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish requests, then exit
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture(scope="module")
def start_nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], Nginx]]:
    """``start_nginx(site_dir) -> Nginx``; every server started is stopped after the module."""
    servers: list[Nginx] = []

    def start(site_dir: Path) -> Nginx:
        servers.append(Nginx(tmp_path_factory.mktemp("nginx"), site_dir))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
    for server in servers:
        assert server.process.returncode == 0, server.error_log()
        assert "[emerg]" not in server.error_log() and "[alert]" not in server.error_log()


# --- the config on a small site holding every kind of file it promises something about

SAMPLE_FILES: dict[str, str | bytes] = {
    "index.html": PAGE_HTML,
    "404.html": "<!doctype html><html lang='vi'><title>Không tìm thấy trang</title><h1>Không tìm thấy</h1>",
    "van-ban/cv-1/index.html": PAGE_HTML,
    "van-ban/cv-1/cong-van.txt": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" * 20,
    "assets/javascripts/bundle.79ae519e.min.js": "console.log('đã nạp');\n" * 30,
    "assets/javascripts/search.js": "export const x = 1;\n" * 30,
    "assets/javascripts/module.mjs": "export const y = 2;\n" * 30,
    "assets/stylesheets/main.484c7ddc.min.css": "body{color:#222}\n" * 30,
    "tim-kiem/chi-muc.0123456789abcdef.bin": bytes(range(256)) * 4,
    "tim-kiem/manifest.json": json.dumps({"gen": "g/0123abcd4567", "columns": "p/89abcdef0123.bin"}),
    "tim-kiem/g/0123abcd4567/s/0.bin": bytes(range(256)),
    "tim-kiem/g/0123abcd4567/d/0.json": json.dumps({"id": "cv-1"}),
    "tim-kiem/p/89abcdef0123.bin": bytes(range(256)),
    "tim-kiem/p/0123456789ab.pack": bytes(range(256)) * 8,  # read in parts (Range requests)
    "data/van-ban/deadbeef12.json": json.dumps({"id": "deadbeef12"}),  # a letter whose id looks like hex
    "van-ban/deadbeef12/index.html": PAGE_HTML,
    "tim-kiem/tu-dien.89abcdef.json": json.dumps({"phòng": [1, 2, 3]} | {str(i): i for i in range(80)}),
    "data/van-ban.json": json.dumps([{"trich_yeu": "phòng, chống dịch"}] * 20, ensure_ascii=False),
    "data/van-ban.csv": "\ufeffid,trich_yeu\n" + "cv-1,phòng chống dịch\n" * 20,
    "feed.xml": "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'/>",
    "sitemap.xml": "<?xml version='1.0' encoding='utf-8'?><urlset/>",
    "assets/nguon-tin.xsl": "<?xml version='1.0'?><xsl:stylesheet version='1.0'/>",
    "engine.wasm": b"\0asm\1\0\0\0" + bytes(600),
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, start_nginx) -> tuple[Path, Nginx]:
    site = tmp_path_factory.mktemp("sample") / "site"
    for name, data in SAMPLE_FILES.items():
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    precompress(site)
    return site, start_nginx(site)


def test_config_is_valid_for_nginx(tmp_path: Path) -> None:
    _require_nginx()
    (tmp_path / "site").mkdir()
    conf = main_config(tmp_path, _free_port(), tmp_path / "site")
    command = [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/van-ban/cv-1/", "text/html; charset=utf-8"),
        ("/van-ban/cv-1/cong-van.txt", "text/plain; charset=utf-8"),
        ("/assets/javascripts/bundle.79ae519e.min.js", "text/javascript; charset=utf-8"),
        ("/assets/javascripts/module.mjs", "text/javascript; charset=utf-8"),
        ("/assets/stylesheets/main.484c7ddc.min.css", "text/css; charset=utf-8"),
        ("/data/van-ban.json", "application/json"),
        ("/data/van-ban.csv", "text/csv; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),  # so a browser applies its CSS stylesheet
        ("/assets/nguon-tin.xsl", "application/xslt+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/engine.wasm", "application/wasm"),
        ("/tim-kiem/chi-muc.0123456789abcdef.bin", "application/octet-stream"),
    ],
)
def test_content_types(sample, path: str, content_type: str) -> None:
    _, server = sample
    status, headers, _ = server.get(path)
    assert status == 200
    assert headers["content-type"] == content_type
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "cache_control"),
    [
        ("/assets/javascripts/bundle.79ae519e.min.js", LONG),
        ("/assets/stylesheets/main.484c7ddc.min.css", LONG),
        ("/tim-kiem/chi-muc.0123456789abcdef.bin", LONG),
        ("/tim-kiem/tu-dien.89abcdef.json", LONG),
        ("/tim-kiem/g/0123abcd4567/s/0.bin", LONG),
        ("/tim-kiem/g/0123abcd4567/d/0.json", LONG),
        ("/tim-kiem/p/89abcdef0123.bin", LONG),
        ("/tim-kiem/p/0123456789ab.pack", LONG),
        ("/tim-kiem/manifest.json", "no-cache"),  # names the current generation
        ("/data/van-ban/deadbeef12.json", "no-cache"),
        ("/van-ban/deadbeef12/", "no-cache"),
        ("/", "no-cache"),
        ("/van-ban/cv-1/", "no-cache"),
        ("/van-ban/cv-1/cong-van.txt", "no-cache"),  # a correction keeps the URL
        ("/assets/javascripts/search.js", "no-cache"),  # unhashed code must follow the data
        ("/data/van-ban.json", "no-cache"),
        ("/feed.xml", "no-cache"),
    ],
)
def test_cache_control(sample, path: str, cache_control: str) -> None:
    _, server = sample
    for encoding in ("identity", "gzip"):
        status, headers, _ = server.get(path, {"Accept-Encoding": encoding})
        assert status == 200
        assert headers["cache-control"] == cache_control


def test_the_search_index_is_read_in_parts(sample) -> None:
    """The browser index reads its ``.pack`` files with Range requests (search.js
    ``fetchRange``): a part, not the whole file, also from a browser that accepts gzip (a
    ``.gz`` twin would make nginx send the whole file; ``vanban precompress`` writes none)."""
    site, server = sample
    assert not (site / "tim-kiem" / "p" / "0123456789ab.pack.gz").exists()
    for encoding in ("identity", "gzip, deflate, br"):
        status, headers, body = server.get(
            "/tim-kiem/p/0123456789ab.pack", {"Range": "bytes=300-303", "Accept-Encoding": encoding}
        )
        assert (status, body, headers["content-range"]) == (
            206,
            bytes([44, 45, 46, 47]),
            "bytes 300-303/2048",
        )


def test_missing_page_gets_the_404_page_and_is_not_cached(sample) -> None:
    site, server = sample
    for path in ("/khong-co/", "/tim-kiem/chi-muc.fedcba9876543210.bin"):
        status, headers, body = server.get(path)
        assert status == 404
        assert body == (site / "404.html").read_bytes()
        assert "cache-control" not in headers  # a mistyped hashed name must not be cached for a year


def test_precompressed_file_is_sent_to_gzip_clients(sample) -> None:
    site, server = sample
    for path, name in [("/", "index.html"), ("/data/van-ban.json", "data/van-ban.json")]:
        status, headers, body = server.get(path, {"Accept-Encoding": "gzip, deflate, br"})
        assert status == 200
        assert headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in headers["vary"]
        # Byte-equal to the file on disk: nginx sent our level-9 .gz, not its own level-5 stream.
        assert body == (site / (name + ".gz")).read_bytes()
        assert gzip.decompress(body) == (site / name).read_bytes()
        status, headers, body = server.get(path)
        assert "content-encoding" not in headers
        assert body == (site / name).read_bytes()


def test_directory_without_slash_redirects_relatively(sample) -> None:
    _, server = sample
    status, headers, _ = server.get("/van-ban/cv-1")
    assert status == 301
    assert headers["location"] == "/van-ban/cv-1/"


# --- the real site, built from content/, precompressed and served by nginx


@pytest.fixture(scope="module")
def served_seed_site(
    seed_site: Path, tmp_path_factory: pytest.TempPathFactory, start_nginx
) -> tuple[Path, Nginx]:
    site = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(seed_site, site)
    report = precompress(site)
    assert report.written > 0
    return site, start_nginx(site)


def _letters(site: Path) -> list[dict]:
    """The open data list (contract: every front-matter key plus ``url``)."""
    letters = json.loads((site / "data" / "van-ban.json").read_text(encoding="utf-8"))
    assert letters, "data/van-ban.json lists no letter"
    return letters


def _path(url: str) -> str:
    """Site-relative path of a letter URL, whatever site_url the build used."""
    return url[url.index("/van-ban/") :]


def test_letter_page_in_chromium(served_seed_site, page) -> None:
    site, server = served_seed_site
    letter = next(item for item in _letters(site) if item.get("so_ky_hieu"))
    response = page.goto(server.url + _path(letter["url"]))
    assert response is not None and response.status == 200
    assert response.headers["content-encoding"] == "gzip"
    assert page.locator("html").get_attribute("lang") == "vi"
    body = page.locator("body").inner_text()
    assert letter["so_ky_hieu"] in body
    assert " ".join(letter["trich_yeu"].split()) in " ".join(body.split())


def test_search_in_chromium(served_seed_site, page) -> None:
    site, server = served_seed_site
    letter = next(item for item in _letters(site) if item.get("so_ky_hieu"))
    letter_path = _path(letter["url"])
    response = page.goto(f"{server.url}/tim-kiem/?q={quote(letter['so_ky_hieu'])}")
    assert response is not None and response.status == 200
    hit = page.locator(f'a[href$="{letter_path}"], a[href$="{letter_path.lstrip("/")}"]').first
    hit.wait_for(state="visible", timeout=15_000)
    hit.click()
    page.wait_for_url(f"**{letter_path}")


def test_seed_site_headers(served_seed_site) -> None:
    site, server = served_seed_site
    letter_path = _path(_letters(site)[0]["url"])
    status, headers, _ = server.get(letter_path, {"Accept-Encoding": "gzip"})
    assert (status, headers["cache-control"], headers["content-encoding"]) == (200, "no-cache", "gzip")
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.suffix != ".gz")
    assets = [p for p in files if is_hashed(p.relative_to(site).as_posix())]
    assert any(p.is_relative_to(site / "assets") for p in assets), "Material's hashed bundle is missing"
    assert any(p.is_relative_to(site / "tim-kiem") for p in assets), (
        "no content-hashed search index file under tim-kiem/ (see the map in deploy/nginx.conf)"
    )
    for page in [p for p in files if p.suffix in (".html", ".xml", ".csv") or p.name == "manifest.json"]:
        assert page not in assets, f"{page} would be cached for a year"
    for asset in assets:
        status, headers, _ = server.get("/" + asset.relative_to(site).as_posix())
        assert (status, headers["cache-control"]) == (200, LONG), asset
    status, _, body = server.get("/khong-co-trang-nay/")
    assert status == 404 and body == (site / "404.html").read_bytes()
