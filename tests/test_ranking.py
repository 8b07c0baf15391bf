"""The ranking model, one rule a test, on one small archive made here: whoosh (the reference)
and the browser index (in headless Chromium) must give the same top ten for every rule's query.

The archive mixes the letters each rule is about with ordinary letters, so document
frequencies look like an archive's, not like a pair's.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import search_harness, search_site

from builder.letters.letter import CitedDocument, Letter
from builder.search.whoosh_index import search

ORDINARY = [
    "Ủy ban nhân dân huyện yêu cầu các cơ quan, đơn vị tăng cường công tác quản lý nhà nước trên địa bàn.",
    "Phòng Tài chính - Kế hoạch chủ trì, phối hợp với các đơn vị liên quan tham mưu thực hiện.",
    "Trong thời gian qua, các xã, thị trấn đã triển khai nhiều giải pháp bảo đảm an ninh trật tự.",
    "Giao Văn phòng HĐND và UBND huyện theo dõi, đôn đốc, tổng hợp kết quả báo cáo trước ngày 15 hằng tháng.",
    "Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm thi hành văn bản này.",
    "Đẩy mạnh cải cách hành chính, nâng cao chất lượng giải quyết thủ tục cho người dân và doanh nghiệp.",
    "Tổ chức tuyên truyền sâu rộng đến toàn thể cán bộ, công chức, viên chức và nhân dân.",
    "Quá trình thực hiện nếu có khó khăn, vướng mắc, kịp thời báo cáo để xem xét, giải quyết.",
]
MUONG_TE = "Ủy ban nhân dân huyện Mường Tè"
LAI_CHAU = "Ủy ban nhân dân tỉnh Lai Châu"


def letter(key: str, body: str, day: int, **fields: object) -> Letter:
    values: dict[str, object] = {
        "id": key,
        "tep_goc": f"{key}.txt",
        "loai_van_ban": "Công văn",
        "so": None,
        "ky_hieu": "UBND-VP",
        "so_ky_hieu": None,
        "co_quan_chu_quan": None,
        "co_quan_ban_hanh": MUONG_TE,
        "dia_danh": "Mường Tè",
        "ngay_ban_hanh": f"2022-{1 + day // 28:02d}-{1 + day % 28:02d}",
        "trich_yeu": "về việc triển khai nhiệm vụ",
        "noi_dung": body,
    }
    values.update(fields)
    return Letter(**values)  # type: ignore[arg-type]


def ordinary(n: int) -> str:
    return " ".join(ORDINARY[(n + k) % len(ORDINARY)] for k in range(5))


def rule_letters() -> list[Letter]:
    letters: list[Letter] = []
    day = iter(range(300))
    # Ordinary letters: the archive around the rules' letters.
    for n in range(40):
        letters.append(letter(f"x-ordinary-{n:02d}", ordinary(n), next(day), trich_yeu=ORDINARY[n % 8][:60]))
    # Accents and adjacency: "giãn cách" against "cải cách" and "thời gian" far apart.
    for n in range(3):
        body = f"{ordinary(n)} Các xã tiếp tục thực hiện giãn cách xã hội theo quy định. {ordinary(n + 3)}"
        letters.append(letter(f"gc-exact-{n}", body, next(day), trich_yeu="về việc phòng, chống dịch bệnh"))
    for n in range(4):
        body = (
            f"Trong thời gian tới, đẩy mạnh cải cách hành chính. Công tác cải cách thủ tục được chú trọng. "
            f"{ordinary(n)} Rút ngắn thời gian giải quyết hồ sơ, cải cách lề lối làm việc."
        )
        letters.append(letter(f"gc-folded-{n}", body, next(day), trich_yeu="về đẩy mạnh cải cách hành chính"))
    # A whole phrase once against part of it repeated.
    body = (
        f"{ordinary(1)} Bảo đảm cung ứng đủ nhu yếu phẩm thiết yếu cho người dân vùng cách ly. {ordinary(5)}"
    )
    letters.append(letter("ny-whole", body, next(day), trich_yeu="về việc bảo đảm an sinh xã hội"))
    for n in range(3):
        body = (
            "Kiểm tra giá nhu yếu phẩm tại chợ. Dự trữ nhu yếu phẩm cho các xã. "
            f"Cung ứng nhu yếu phẩm kịp thời. Các mặt hàng thiết yếu được bình ổn. {ordinary(n)}"
        )
        letters.append(letter(f"ny-part-{n}", body, next(day), trich_yeu="về việc cung ứng nhu yếu phẩm"))
    # Type and number: Chỉ thị 16 (own, cited) against a Công văn numbered 16.
    letters.append(
        letter(
            "ct-own-16",
            f"{ordinary(2)} Thủ trưởng các cơ quan thực hiện nghiêm Chỉ thị này.",
            next(day),
            loai_van_ban="Chỉ thị",
            so=16,
            ky_hieu="CT-UBND",
            so_ky_hieu="16/CT-UBND",
            trich_yeu="về tăng cường quản lý đất đai",
        )
    )
    cited = CitedDocument("Chỉ thị", "16/CT-TTg", "2020-03-31", "Thủ tướng Chính phủ")
    letters.append(
        letter(
            "ct-cites-16",
            f"Thực hiện Chỉ thị số 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ. {ordinary(4)}",
            next(day),
            van_ban_dan_chieu=[cited],
        )
    )
    letters.append(
        letter(
            "ct-cv-16",
            f"Thực hiện Chỉ thị số 05/CT-UBND của UBND tỉnh. {ordinary(6)}",
            next(day),
            so=16,
            ky_hieu="UBND-KT",
            so_ky_hieu="16/UBND-KT",
            trich_yeu="về việc báo cáo kết quả thực hiện chỉ thị",
        )
    )
    # Own number, then cited, then only written in the text.
    letters.append(
        letter("num-own", ordinary(3), next(day), so=2642, ky_hieu="UBND-VX", so_ky_hieu="2642/UBND-VX")
    )
    cv = CitedDocument("Công văn", "2642/UBND-VX", "2022-01-20", MUONG_TE)
    letters.append(
        letter(
            "num-cited",
            f"Thực hiện Công văn số 2642/UBND-VX của UBND huyện. {ordinary(5)}",
            next(day),
            van_ban_dan_chieu=[cv],
        )
    )
    letters.append(
        letter("num-text", f"{ordinary(6)} Xem thêm phụ lục kèm theo văn bản 2642/UBND-VX.", next(day))
    )
    letters.append(
        letter(
            "num-qd",
            f"{ordinary(7)} Căn cứ Công văn số 15/UBND-VP.",
            next(day),
            loai_van_ban="Quyết định",
            so=2642,
            ky_hieu="QĐ-UBND",
            so_ky_hieu="2642/QĐ-UBND",
            trich_yeu="về việc thành lập tổ công tác",
        )
    )
    # A number that is exactly what a partial query types, and one that has more after it.
    letters.append(
        letter("num-exact", ordinary(4), next(day), so=2642, ky_hieu="UBND", so_ky_hieu="2642/UBND")
    )
    letters.append(
        letter("num-exact-17", ordinary(5), next(day), so=17, ky_hieu="UBND", so_ky_hieu="17/UBND")
    )
    letters.append(
        letter("num-longer-17", ordinary(6), next(day), so=17, ky_hieu="UBND-VX", so_ky_hieu="17/UBND-VX")
    )
    # A number typed loosely ("316 kh ubnd"): a state body's number (316/KH-UBND) against a party
    # body's (316-KH/HU), whose hyphen made "316 kh" a phrase the slash did not.
    letters.append(
        letter(
            "ln-state",
            ordinary(5),
            next(day),
            loai_van_ban="Kế hoạch",
            so=316,
            ky_hieu="KH-UBND",
            so_ky_hieu="316/KH-UBND",
            trich_yeu="về việc triển khai nhiệm vụ năm 2022",
        )
    )
    letters.append(
        letter(
            "ln-party",
            f"Thực hiện Kế hoạch số 101/KH-UBND, Ban Thường vụ Huyện ủy đề nghị Ủy ban nhân dân huyện "
            f"chỉ đạo thực hiện. {ordinary(6)}",
            next(day),
            loai_van_ban="Kế hoạch",
            so=316,
            ky_hieu="KH/HU",
            so_ky_hieu="316-KH/HU",
            co_quan_ban_hanh="Huyện ủy Mường Tè",
            trich_yeu="về việc triển khai nhiệm vụ năm 2022",
        )
    )
    for n in range(20):  # plans of the People's Committee are many: "kh ubnd" is common
        letters.append(
            letter(
                f"ln-other-{n:02d}",
                ordinary(n),
                next(day),
                loai_van_ban="Kế hoạch",
                so=100 + n,
                ky_hieu="KH-UBND",
                so_ky_hieu=f"{100 + n}/KH-UBND",
            )
        )
    # Abbreviations, written out or short, both ways.
    letters.append(letter("ab-long", f"{ordinary(1)} Tăng cường công tác phòng cháy, chữa cháy.", next(day)))
    letters.append(letter("ab-short", f"{ordinary(2)} Kiểm tra công tác PCCC tại chợ.", next(day)))
    letters.append(letter("ab-front", f"Ủy ban MTTQ huyện phối hợp. {ordinary(3)}", next(day)))
    letters.append(letter("ab-front-short", f"UBMTTQ các xã phối hợp. {ordinary(4)}", next(day)))
    # An issuer's own letter against letters that cite it and name it as their parent body.
    letters.append(
        letter(
            "lc-own",
            ordinary(1),
            next(day),
            co_quan_ban_hanh=LAI_CHAU,
            dia_danh="Lai Châu",
            trich_yeu="về việc tăng cường quản lý",
        )
    )
    for n in range(2):
        body = (
            f"Thực hiện Công văn số 120/UBND-VX ngày 05/01/2022 của Ủy ban nhân dân tỉnh Lai Châu. "
            f"{ordinary(n)} Báo cáo kết quả về Ủy ban nhân dân tỉnh Lai Châu trước ngày 20/01/2022."
        )
        letters.append(
            letter(
                f"lc-mention-{n}",
                body,
                next(day),
                co_quan_chu_quan="UBND TỈNH LAI CHÂU",
                kinh_gui=["Ủy ban nhân dân tỉnh Lai Châu"],
                trich_yeu="về báo cáo Ủy ban nhân dân tỉnh Lai Châu",
            )
        )
    # Saturation: a word repeated through a long body against the same word in a short subject.
    letters.append(
        letter("sat-subject", ordinary(2), next(day), trich_yeu="về quản lý khoáng sản trên địa bàn huyện")
    )
    long_body = " ".join(f"{ORDINARY[k % 8]} Khai thác khoáng sản." for k in range(40))
    letters.append(letter("sat-body", long_body, next(day)))
    # The words of a letter's own symbol (52-CP: "chính phủ") are not its number: a letter whose
    # subject says the whole phrase beats one that has part of it and "chính" in its symbol.
    letters.append(
        letter(
            "dg-symbol",
            ordinary(2),
            next(day),
            loai_van_ban="Quyết định",
            so=52,
            ky_hieu="CP",
            so_ky_hieu="52-CP",
            co_quan_ban_hanh="Hội đồng Chính phủ",
            trich_yeu="điều chỉnh địa giới một số phường thuộc quận 6",
        )
    )
    letters.append(
        letter("dg-whole", ordinary(3), next(day), trich_yeu="điều chỉnh địa giới hành chính một số phường")
    )
    # The words of a subject in the order typed, against the same pairs in another order in
    # short subjects, and against pairs spread between a subject and a body.
    for n in range(4):
        letters.append(
            letter(
                f"kc-other-order-{n}",
                ordinary(n),
                next(day),
                trich_yeu="tăng cường kỷ luật, kỷ cương hành chính trong thực thi công vụ",
            )
        )
    letters.append(
        letter(
            "kc-in-order",
            " ".join(ordinary(n) for n in range(4)),
            next(day),
            loai_van_ban="Chỉ thị",
            trich_yeu="TĂNG CƯỜNG KỶ CƯƠNG, KỶ LUẬT HÀNH CHÍNH; NÂNG CAO HIỆU QUẢ, HIỆU LỰC HOẠT ĐỘNG "
            "BỘ MÁY QUẢN LÝ NHÀ NƯỚC TRÊN ĐỊA BÀN THÀNH PHỐ",
        )
    )
    letters.append(
        letter(
            "cd-whole",
            ordinary(4),
            next(day),
            trich_yeu="VỀ MỘT SỐ CHẾ ĐỘ CHI TIÊU PHỤC VỤ HOẠT ĐỘNG CỦA HỘI ĐỒNG NHÂN DÂN CÁC CẤP",
        )
    )
    letters.append(
        letter(
            "cd-spread",
            f"{ordinary(5)} Báo cáo về một số chế độ chi đặc thù. Chế độ chi được bảo đảm.",
            next(day),
            trich_yeu="QUY ĐỊNH MỘT SỐ CHẾ ĐỘ CHI TIÊU BẢO ĐẢM HOẠT ĐỘNG CỦA HỘI ĐỒNG NHÂN DÂN CÁC CẤP",
        )
    )
    # A title is its kind and its subject read together ("Quy chế làm việc của …"): a query that
    # types the title ranks that letter above one whose body mentions the same words.
    letters.append(
        letter(
            "tt-title",
            ordinary(6),
            next(day),
            loai_van_ban="Quy chế",
            trich_yeu="làm việc của Ủy ban nhân dân xã nhiệm kỳ 2021-2026",
        )
    )
    for n in range(2):
        body = f"{ordinary(n)} Xây dựng quy chế làm việc của Ban Chỉ đạo. {ordinary(n + 2)}"
        letters.append(letter(f"tt-body-{n}", body, next(day), trich_yeu="về việc kiện toàn Ban Chỉ đạo"))
    return letters


RULES: list[tuple[str, list[str | tuple[str, ...]], set[str]]] = [
    # (query, the letters expected first, in this order (a tuple: equally good, any order);
    # letters that must not match)
    ("giãn cách", ["gc-exact-2", "gc-exact-1", "gc-exact-0"], set()),  # equal: newest first
    ("gian cach", ["gc-exact-2", "gc-exact-1", "gc-exact-0"], set()),
    ("nhu yếu phẩm thiết yếu", ["ny-whole"], set()),
    ("nhu yeu pham thiet yeu", ["ny-whole"], set()),
    ("chỉ thị 16", ["ct-own-16", "ct-cites-16"], {"ct-cv-16"}),
    ("chi thi so 16", ["ct-own-16", "ct-cites-16"], {"ct-cv-16"}),
    ("công văn 2642", [("num-own", "num-exact"), "num-cited"], {"num-qd"}),
    ("quyết định 2642", ["num-qd"], {"num-own", "num-cited"}),
    ("2642/UBND-VX", ["num-own", "num-cited", "num-text"], {"num-qd"}),
    ("2642/UBND", ["num-exact", "num-own", "num-cited", "num-text"], {"num-qd"}),  # partial: after a whole
    ("17/UBND", ["num-exact-17"], set()),
    ("316 kh ubnd", ["ln-state"], set()),
    ("316 kh hu", ["ln-party"], set()),
    ("Ủy ban nhân dân tỉnh Lai Châu", ["lc-own"], set()),
    ("uy ban nhan dan tinh lai chau", ["lc-own"], set()),
    ("UBND tỉnh Lai Châu", ["lc-own"], set()),
    ("khoáng sản", ["sat-subject", "sat-body"], set()),
    ("PCCC", [("ab-long", "ab-short")], set()),
    ("phòng cháy chữa cháy", [("ab-long", "ab-short")], set()),
    ("UBMTTQ", [("ab-front", "ab-front-short")], set()),
    ("ủy ban mặt trận tổ quốc", [("ab-front", "ab-front-short")], set()),
    ("UBND-VX", [("num-own", "num-longer-17")], {"num-qd"}),  # own symbol first, then any mention
    ("điều chỉnh địa giới hành chính", ["dg-whole"], set()),
    ("dieu chinh dia gioi hanh chinh", ["dg-whole"], set()),
    ("tang cuong ky cuong ky luat", ["kc-in-order"], set()),
    ("tăng cường kỷ cương, kỷ luật", ["kc-in-order"], set()),
    ("VỀ MỘT SỐ CHẾ ĐỘ CHI", ["cd-whole"], set()),
    ("ve mot so che do chi", ["cd-whole"], set()),
    ("quy chế làm việc", ["tt-title"], set()),
    ("quy che lam viec", ["tt-title"], set()),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rule archive's whoosh index and browser index (``root/cache``, ``root/site``)."""
    return search_site(tmp_path_factory.mktemp("ranking"), rule_letters())


def ranked(root: Path, query: str, limit: int | None = 10) -> list[str]:
    return [hit.id for hit in search(root / "cache" / "whoosh", query, limit=limit)]


@pytest.mark.parametrize(("query", "first", "excluded"), RULES, ids=[rule[0] for rule in RULES])
def test_rule(built: Path, query: str, first: list[str | tuple[str, ...]], excluded: set[str]) -> None:
    found = ranked(built, query, limit=None)
    at = 0
    for expected in first:
        group = {expected} if isinstance(expected, str) else set(expected)
        assert set(found[at : at + len(group)]) == group, found[:10]
        at += len(group)
    assert not excluded & set(found), found


@pytest.mark.browser
def test_browser_ranks_every_rule_as_whoosh_does(built: Path, browser, serve) -> None:
    page = search_harness(browser, serve, built / "site")
    for query, _, _ in RULES:
        assert page.evaluate("q => window.run(q)", query)["ids"] == ranked(built, query), quote(query)
