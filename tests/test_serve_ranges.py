"""`vanban serve` answers Range requests as the hosts do: the browser index reads parts of its
pack files, and MkDocs' preview server alone sends the whole file (16 MiB) for every part."""

from __future__ import annotations

from pathlib import Path

from builder.publish.serve_preview import answering_ranges


def _call(app, path: str, range_header: str | None = None) -> tuple[str, dict[str, str], bytes]:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path}
    if range_header:
        environ["HTTP_RANGE"] = range_header
    answer: dict = {}

    def start_response(status: str, headers: list) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def _whole(environ: dict, start_response) -> list[bytes]:
    """MkDocs' server as it answers: the whole file, whatever the Range header says."""
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return [b"whole file"]


def test_a_part_of_a_pack_is_sent_alone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "tim-kiem" / "p").mkdir(parents=True)
    (site / "tim-kiem" / "p" / "0123456789ab.pack").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "secret.txt").write_text("not the site's")
    app = answering_ranges(_whole, site, "/")
    status, headers, body = _call(app, "/tim-kiem/p/0123456789ab.pack", "bytes=300-303")
    assert (status, body, headers["Content-Range"]) == (
        "206 Partial Content",
        bytes([44, 45, 46, 47]),
        "bytes 300-303/1024",
    )
    status, _, body = _call(app, "/tim-kiem/p/0123456789ab.pack", "bytes=1020-")
    assert (status, body) == ("206 Partial Content", bytes([252, 253, 254, 255]))
    assert _call(app, "/tim-kiem/p/0123456789ab.pack", "bytes=5000-5001")[0].startswith("416")
    assert _call(app, "/tim-kiem/p/0123456789ab.pack")[2] == b"whole file"  # no Range: MkDocs' answer
    assert _call(app, "/../secret.txt", "bytes=0-3")[2] == b"whole file"  # never outside the site
    mounted = answering_ranges(_whole, site, "/cong/")
    assert _call(mounted, "/cong/tim-kiem/p/0123456789ab.pack", "bytes=0-1")[2] == bytes([0, 1])
