# ruff: noqa: E501  (data: one phrase per line reads better than split strings)
"""Word material for the synthetic corpus: real places, names, units and administrative phrases.

Everything here is written in the canonical (old) tone style — hòa, ủy, thủy —
and in NFC; ``corpus.py`` derives the other style and NFD from it. Place names
are districts and provinces as they were before the July 2025 reform, because
the letters are dated 2015–2025.
"""

from __future__ import annotations

PROVINCES: dict[str, list[str]] = {
    "Lai Châu": ["Mường Tè", "Sìn Hồ", "Phong Thổ", "Tam Đường", "Than Uyên", "Tân Uyên", "Nậm Nhùn"],
    "Sơn La": [
        "Mai Sơn",
        "Mộc Châu",
        "Yên Châu",
        "Thuận Châu",
        "Sông Mã",
        "Phù Yên",
        "Bắc Yên",
        "Quỳnh Nhai",
    ],
    "Điện Biên": ["Mường Nhé", "Tủa Chùa", "Tuần Giáo", "Điện Biên Đông", "Mường Ảng", "Nậm Pồ"],
    "Vĩnh Phúc": ["Vĩnh Tường", "Yên Lạc", "Tam Dương", "Lập Thạch", "Sông Lô", "Bình Xuyên", "Tam Đảo"],
    "Hà Giang": ["Đồng Văn", "Mèo Vạc", "Yên Minh", "Quản Bạ", "Bắc Mê", "Hoàng Su Phì", "Xín Mần"],
    "Thanh Hóa": ["Quan Hóa", "Quan Sơn", "Mường Lát", "Thọ Xuân", "Hoằng Hóa", "Nga Sơn", "Hậu Lộc"],
    "Nghệ An": ["Kỳ Sơn", "Tương Dương", "Con Cuông", "Anh Sơn", "Diễn Châu", "Quỳnh Lưu", "Nghi Lộc"],
    "Quảng Trị": ["Hướng Hóa", "Đakrông", "Gio Linh", "Vĩnh Linh", "Triệu Phong", "Hải Lăng"],
    "Quảng Bình": ["Lệ Thủy", "Quảng Ninh", "Bố Trạch", "Minh Hóa", "Tuyên Hóa"],
    "Hòa Bình": ["Mai Châu", "Đà Bắc", "Tân Lạc", "Lạc Sơn", "Kim Bôi", "Lương Sơn"],
    "Quảng Nam": ["Nam Trà My", "Bắc Trà My", "Phước Sơn", "Tây Giang", "Đông Giang", "Duy Xuyên"],
    "Kon Tum": ["Đắk Glei", "Ngọc Hồi", "Sa Thầy", "Kon Plông", "Đắk Tô"],
    "Cà Mau": ["U Minh", "Trần Văn Thời", "Năm Căn", "Ngọc Hiển", "Đầm Dơi", "Thới Bình"],
    "Yên Bái": ["Mù Cang Chải", "Trạm Tấu", "Văn Chấn", "Lục Yên", "Văn Yên"],
    "Bắc Kạn": ["Ba Bể", "Pác Nặm", "Ngân Sơn", "Chợ Đồn", "Na Rì"],
    "Thái Bình": ["Quỳnh Phụ", "Hưng Hà", "Đông Hưng", "Thái Thụy", "Tiền Hải", "Vũ Thư"],
    "Khánh Hòa": ["Khánh Sơn", "Khánh Vĩnh", "Vạn Ninh", "Diên Khánh", "Cam Lâm"],
    "Thừa Thiên Huế": ["A Lưới", "Phong Điền", "Quảng Điền", "Phú Lộc", "Nam Đông"],
}
"""Province -> districts (huyện), real names before 2025."""

PARTY_DISTRICTS: dict[str, list[str]] = {
    "Lai Châu": ["Mường Tè", "Phong Thổ"],
    "Sơn La": ["Mai Sơn"],
    "Vĩnh Phúc": ["Vĩnh Tường", "Tam Dương"],
    "Thanh Hóa": ["Quan Hóa"],
    "Quảng Trị": ["Hướng Hóa"],
    "Hòa Bình": ["Mai Châu"],
    "Hà Giang": ["Đồng Văn"],
}
"""Districts whose Huyện ủy (party committee) also publishes letters."""

SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 30),
    ("Trần", 10),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Phan", 4),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 3),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1.5),
    ("Đinh", 1.5),
    ("Lò", 1.5),
    ("Hà", 1.5),
    ("Lý", 1),
    ("Giàng", 0.8),
    ("Vàng", 0.7),
    ("Lường", 0.5),
    ("Cầm", 0.5),
    ("Sùng", 0.5),
    ("Thào", 0.5),
    ("Triệu", 0.5),
    ("Nông", 0.5),
    ("Tống", 0.3),
    ("Kiều", 0.3),
    ("Lại", 0.3),
    ("Tráng", 0.3),
    ("Quàng", 0.2),
    ("Hứa", 0.2),
    ("Khuất", 0.05),
]
"""Family names with rough weights: Kinh majority names and the mountain provinces' Thái, H'Mông, Tày ones."""

MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Xuân", "Ngọc", "Công", "Đình", "Hồng"]
HMONG_MIDDLE = ["A", "Seo", "Chứ", "Mí"]
GIVEN_NAMES = [
    "Nam",
    "Hải",
    "Long",
    "Thái",
    "Dũng",
    "Hùng",
    "Tuấn",
    "Hòa",
    "Thủy",
    "Thúy",
    "Hoa",
    "Lan",
    "Hương",
    "Thắng",
    "Bình",
    "Cường",
    "Chiến",
    "Sơn",
    "Hà",
    "Quý",
    "Tiến",
    "Khoa",
    "Huy",
    "Toàn",
    "Vinh",
    "Phúc",
    "Duy",
    "Chính",
    "Quyết",
    "Páo",
    "Sính",
    "Khánh",
    "Thụy",
    "Lực",
]

PROVINCE_UNITS = ["VX", "KT", "KTN", "TH", "NC", "HC", "TCD"]
"""Drafting units of a province People's Committee office (symbol after UBND-)."""
DISTRICT_UNITS = ["VP", "TH", "TCKH", "NV", "TNMT", "KTHT", "NN", "VHTT", "GDĐT", "YT", "LĐTBXH", "TP"]

PROVINCE_AGENCIES = [
    "Sở Y tế",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Nội vụ",
    "Sở Thông tin và Truyền thông",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài nguyên và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Ban Dân tộc tỉnh",
]
DISTRICT_AGENCIES = [
    "Phòng Tài chính - Kế hoạch",
    "Phòng Nội vụ",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Tư pháp",
    "Phòng Dân tộc",
    "Thanh tra huyện",
    "Công an huyện",
    "Ban Chỉ huy Quân sự huyện",
    "Trung tâm Y tế huyện",
    "Trung tâm Văn hóa, Thể thao và Truyền thông huyện",
    "Văn phòng HĐND và UBND huyện",
]
PARTY_AGENCIES = [
    "Ban Tuyên giáo",
    "Ban Tổ chức",
    "Ban Dân vận",
    "Ủy ban Kiểm tra",
    "Văn phòng",
]

RECIPIENTS_PROVINCE = [
    "Các sở, ban, ngành, đoàn thể tỉnh",
    "UBND các huyện, thành phố",
    "Các cơ quan Trung ương đóng trên địa bàn tỉnh",
]
RECIPIENTS_DISTRICT = [
    "Các cơ quan, ban, ngành, đoàn thể huyện",
    "Các phòng, ban, đơn vị thuộc UBND huyện",
    "Các cơ quan ngành dọc đóng trên địa bàn",
    "Ủy ban nhân dân các xã, thị trấn",
]
RECIPIENTS_PARTY = [
    "Các đảng bộ, chi bộ trực thuộc",
    "Các ban xây dựng Đảng",
    "Đảng đoàn, ban cán sự đảng",
]

NATIONAL_DOCUMENTS: list[tuple[str, str, str, str, str]] = [
    # (type, number, ISO date, issuer, subject)
    ("Luật", "77/2015/QH13", "2015-06-19", "Quốc hội", "Tổ chức chính quyền địa phương"),
    ("Luật", "104/2016/QH13", "2016-04-06", "Quốc hội", "Tiếp cận thông tin"),
    ("Nghị định", "61/2018/NĐ-CP", "2018-04-23", "Chính phủ", "thực hiện cơ chế một cửa, một cửa liên thông"),
    ("Nghị định", "100/2019/NĐ-CP", "2019-12-30", "Chính phủ", "xử phạt vi phạm hành chính về giao thông"),
    ("Nghị định", "30/2020/NĐ-CP", "2020-03-05", "Chính phủ", "công tác văn thư"),
    (
        "Chỉ thị",
        "16/CT-TTg",
        "2020-03-31",
        "Thủ tướng Chính phủ",
        "thực hiện các biện pháp cấp bách phòng, chống dịch",
    ),
    ("Quyết định", "749/QĐ-TTg", "2020-06-03", "Thủ tướng Chính phủ", "Chương trình Chuyển đổi số quốc gia"),
    ("Nghị quyết", "68/NQ-CP", "2021-07-01", "Chính phủ", "chính sách hỗ trợ người lao động gặp khó khăn"),
    ("Nghị định", "66/2021/NĐ-CP", "2021-07-06", "Chính phủ", "hướng dẫn Luật Phòng, chống thiên tai"),
    ("Nghị quyết", "105/NQ-CP", "2021-09-09", "Chính phủ", "hỗ trợ doanh nghiệp, hợp tác xã, hộ kinh doanh"),
    (
        "Nghị quyết",
        "128/NQ-CP",
        "2021-10-11",
        "Chính phủ",
        "thích ứng an toàn, linh hoạt, kiểm soát hiệu quả dịch",
    ),
    ("Quyết định", "1719/QĐ-TTg", "2021-10-14", "Thủ tướng Chính phủ", "Chương trình mục tiêu quốc gia"),
    ("Nghị định", "42/2022/NĐ-CP", "2022-06-24", "Chính phủ", "cung cấp thông tin trên môi trường mạng"),
]
"""Real national documents that local letters cite (only after their date)."""


class Topic:
    """One administrative subject: its years, subject lines, objects and task sentences."""

    def __init__(
        self,
        key: str,
        years: tuple[int, int],
        subjects: list[str],
        objects: list[str],
        tasks: list[str],
        weight: float = 1.0,
    ):
        self.key = key
        self.years = years
        self.subjects = subjects
        self.objects = objects
        self.tasks = tasks
        self.weight = weight


TOPICS: list[Topic] = [
    Topic(
        "covid",
        (2020, 2022),
        [
            "tăng cường các biện pháp phòng, chống dịch Covid-19",
            "tiếp tục triển khai các biện pháp phòng, chống dịch Covid-19 trên địa bàn",
            "thực hiện Kết luận của đồng chí Chủ tịch UBND tỉnh tại cuộc họp trực tuyến về công tác "
            "phòng, chống dịch Covid-19",
            "triển khai tiêm vắc xin phòng Covid-19 cho các nhóm đối tượng ưu tiên",
            "thích ứng an toàn, linh hoạt, kiểm soát hiệu quả dịch Covid-19",
        ],
        [
            "công tác phòng, chống dịch Covid-19",
            "việc tiêm vắc xin phòng Covid-19",
            "các chốt kiểm soát dịch",
            "công tác cách ly, truy vết",
            "việc khai báo y tế và quét mã QR",
            "các khu cách ly tập trung",
            "phương châm thích ứng an toàn, linh hoạt, kiểm soát hiệu quả dịch Covid-19",
        ],
        [
            "Rà soát công dân đang ở các vùng dịch để quản lý, động viên, chia sẻ khó khăn với công dân.",
            "Thực hiện nghiêm thông điệp 5K, không để dịch bệnh lây lan, bùng phát trên địa bàn quản lý.",
            "Chuẩn bị sẵn sàng cơ sở thu dung, điều trị người nhiễm Covid-19, bảo đảm đủ ôxy y tế, thuốc, "
            "trang thiết bị và nhân lực.",
            "Đẩy nhanh tiến độ tiêm vắc xin, đảm bảo an toàn, khoa học, hiệu quả; vắc xin tốt nhất là vắc xin "
            "được tiêm sớm nhất.",
            "Duy trì hoạt động của các tổ Covid cộng đồng, tổ liên gia tự quản trong công tác phòng, chống dịch.",
            "Quản lý chặt chẽ người về từ vùng dịch, thực hiện cách ly, theo dõi sức khỏe theo quy định.",
        ],
        weight=2.0,
    ),
    Topic(
        "nong-thon-moi",
        (2015, 2025),
        [
            "đẩy mạnh thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
            "đánh giá kết quả thực hiện các tiêu chí xã đạt chuẩn nông thôn mới nâng cao",
            "phát triển sản phẩm OCOP gắn với xây dựng nông thôn mới",
        ],
        [
            "Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
            "các tiêu chí xã đạt chuẩn nông thôn mới",
            "hệ thống giao thông nông thôn",
            "phong trào Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
            "chương trình Mỗi xã một sản phẩm (OCOP)",
        ],
        [
            "Rà soát, đánh giá thực trạng các tiêu chí nông thôn mới, xác định tiêu chí còn thiếu để tập trung "
            "chỉ đạo hoàn thành.",
            "Huy động các nguồn lực xã hội hóa, phát huy vai trò chủ thể của người dân trong xây dựng "
            "nông thôn mới.",
            "Lồng ghép các nguồn vốn chương trình mục tiêu quốc gia để đầu tư kết cấu hạ tầng thiết yếu.",
            "Hỗ trợ các hợp tác xã, tổ hợp tác hoàn thiện hồ sơ sản phẩm tham gia đánh giá, phân hạng OCOP.",
        ],
    ),
    Topic(
        "cai-cach-hanh-chinh",
        (2015, 2025),
        [
            "tăng cường kỷ luật, kỷ cương hành chính trong thực thi công vụ",
            "đẩy mạnh cải cách hành chính, nâng cao chỉ số hài lòng của người dân",
            "triển khai dịch vụ công trực tuyến toàn trình",
        ],
        [
            "công tác cải cách hành chính",
            "việc giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông",
            "dịch vụ công trực tuyến toàn trình",
            "chỉ số hài lòng về sự phục vụ hành chính",
            "kỷ luật, kỷ cương hành chính",
        ],
        [
            "Công khai đầy đủ, kịp thời các thủ tục hành chính tại Bộ phận tiếp nhận và trả kết quả.",
            "Không để xảy ra tình trạng hồ sơ giải quyết quá hạn mà không có văn bản xin lỗi tổ chức, công dân.",
            "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính theo quy định.",
            "Người đứng đầu chịu trách nhiệm trước Chủ tịch UBND về kết quả cải cách hành chính của đơn vị.",
        ],
    ),
    Topic(
        "thien-tai",
        (2015, 2025),
        [
            "chủ động ứng phó với mưa lũ, sạt lở đất",
            "triển khai công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
            "khắc phục hậu quả mưa lũ, ổn định đời sống nhân dân",
        ],
        [
            "công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
            "phương án ứng phó với mưa lũ, sạt lở đất",
            "các khu vực có nguy cơ sạt lở đất, lũ quét",
            "phương châm bốn tại chỗ",
        ],
        [
            "Rà soát các hộ dân sinh sống ở khu vực có nguy cơ sạt lở đất, lũ ống, lũ quét để chủ động di dời.",
            "Bố trí lực lượng, phương tiện, vật tư theo phương châm bốn tại chỗ.",
            "Tổ chức trực ban nghiêm túc, theo dõi chặt chẽ diễn biến thời tiết, kịp thời thông tin cảnh báo.",
            "Thống kê thiệt hại, hỗ trợ kịp thời các hộ gia đình bị ảnh hưởng, không để người dân bị đói, rét.",
        ],
    ),
    Topic(
        "dat-dai",
        (2015, 2025),
        [
            "đẩy nhanh tiến độ bồi thường, giải phóng mặt bằng các dự án trọng điểm",
            "tăng cường quản lý nhà nước về đất đai, tài nguyên khoáng sản",
            "cấp giấy chứng nhận quyền sử dụng đất lần đầu",
        ],
        [
            "công tác bồi thường, hỗ trợ, tái định cư",
            "việc cấp giấy chứng nhận quyền sử dụng đất",
            "công tác quản lý đất đai, tài nguyên khoáng sản",
            "tình trạng lấn chiếm đất công",
        ],
        [
            "Công khai phương án bồi thường, hỗ trợ, tái định cư đến từng hộ gia đình, cá nhân có đất bị thu hồi.",
            "Kiểm tra, xử lý dứt điểm các trường hợp khai thác cát, sỏi, khoáng sản trái phép.",
            "Giải quyết dứt điểm đơn thư khiếu nại, tố cáo liên quan đến đất đai ngay từ cơ sở.",
        ],
    ),
    Topic(
        "giao-duc",
        (2015, 2025),
        [
            "chuẩn bị các điều kiện cho năm học mới",
            "tổ chức kỳ thi tốt nghiệp trung học phổ thông",
            "duy trì kết quả phổ cập giáo dục, xóa mù chữ",
        ],
        [
            "công tác phổ cập giáo dục, xóa mù chữ",
            "các điều kiện về trường lớp, đội ngũ giáo viên",
            "công tác vận động học sinh ra lớp",
            "chất lượng giáo dục mũi nhọn",
        ],
        [
            "Vận động học sinh trong độ tuổi ra lớp, hạn chế tình trạng học sinh bỏ học giữa chừng.",
            "Rà soát, sửa chữa cơ sở vật chất, bảo đảm an toàn trường học trước khi khai giảng.",
            "Bố trí đủ giáo viên theo định mức, ưu tiên các điểm trường vùng đặc biệt khó khăn.",
        ],
    ),
    Topic(
        "giao-thong",
        (2015, 2025),
        [
            "tăng cường bảo đảm trật tự, an toàn giao thông dịp lễ, Tết",
            "xử lý vi phạm nồng độ cồn khi tham gia giao thông",
        ],
        [
            "công tác bảo đảm trật tự, an toàn giao thông",
            "việc xử lý vi phạm nồng độ cồn",
            "hành lang an toàn đường bộ",
            "việc đội mũ bảo hiểm khi tham gia giao thông",
        ],
        [
            "Tăng cường tuần tra, kiểm soát, xử lý nghiêm các hành vi vi phạm trật tự, an toàn giao thông.",
            "Giải tỏa các trường hợp lấn chiếm hành lang an toàn đường bộ, họp chợ dưới lòng đường.",
        ],
    ),
    Topic(
        "rung",
        (2015, 2025),
        [
            "tăng cường các biện pháp cấp bách phòng cháy, chữa cháy rừng",
            "ngăn chặn tình trạng phá rừng, khai thác lâm sản trái phép",
        ],
        [
            "công tác quản lý, bảo vệ và phát triển rừng",
            "công tác phòng cháy, chữa cháy rừng",
            "chi trả dịch vụ môi trường rừng",
        ],
        [
            "Kiểm soát chặt chẽ việc sử dụng lửa trong canh tác nương rẫy vào mùa khô hanh.",
            "Phát hiện, ngăn chặn kịp thời các hành vi phá rừng, khai thác, vận chuyển lâm sản trái phép.",
        ],
    ),
    Topic(
        "bau-cu",
        (2016, 2021),
        [
            "tổ chức bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp",
            "thành lập Ủy ban bầu cử, Ban bầu cử, Tổ bầu cử",
        ],
        [
            "công tác chuẩn bị bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp",
            "việc lập và niêm yết danh sách cử tri",
            "công tác hiệp thương, giới thiệu người ứng cử",
        ],
        [
            "Niêm yết danh sách cử tri đúng thời gian quy định, bảo đảm mọi công dân đủ điều kiện đều được "
            "ghi tên.",
            "Tổ chức hội nghị tiếp xúc cử tri của người ứng cử theo đúng Luật Bầu cử.",
        ],
    ),
    Topic(
        "chuyen-doi-so",
        (2020, 2025),
        [
            "đẩy mạnh chuyển đổi số, xây dựng chính quyền số",
            "sử dụng chữ ký số và gửi, nhận văn bản điện tử",
        ],
        [
            "công tác chuyển đổi số",
            "việc sử dụng chữ ký số trong gửi, nhận văn bản điện tử",
            "hệ thống quản lý văn bản và điều hành",
            "Đề án 06 về phát triển ứng dụng dữ liệu về dân cư",
        ],
        [
            "Gửi, nhận văn bản điện tử có ký số trên hệ thống quản lý văn bản và điều hành, trừ văn bản mật.",
            "Cập nhật, làm sạch dữ liệu dân cư, bảo đảm đúng, đủ, sạch, sống.",
        ],
    ),
    Topic(
        "giam-ngheo",
        (2015, 2025),
        [
            "rà soát hộ nghèo, hộ cận nghèo",
            "thực hiện chính sách giảm nghèo bền vững",
        ],
        [
            "công tác giảm nghèo bền vững",
            "việc rà soát hộ nghèo, hộ cận nghèo",
            "chính sách hỗ trợ nhà ở cho hộ nghèo",
        ],
        [
            "Tổ chức rà soát hộ nghèo, hộ cận nghèo công khai, dân chủ, đúng quy trình.",
            "Hỗ trợ sinh kế, tạo việc làm, nâng cao thu nhập cho hộ nghèo, hộ cận nghèo.",
        ],
    ),
    Topic(
        "tet",
        (2015, 2025),
        [
            "tổ chức đón Tết Nguyên đán vui tươi, lành mạnh, an toàn, tiết kiệm",
            "bố trí lịch trực Tết Nguyên đán",
        ],
        [
            "công tác chuẩn bị đón Tết Nguyên đán",
            "việc thăm hỏi, tặng quà các gia đình chính sách",
            "lịch trực ban, trực chỉ huy dịp Tết",
        ],
        [
            "Thăm hỏi, tặng quà gia đình chính sách, người có công, hộ nghèo; không để hộ nào không có Tết.",
            "Cán bộ, công chức không đi chúc Tết cấp trên, không sử dụng phương tiện công vào việc riêng.",
        ],
    ),
    Topic(
        "ngan-sach",
        (2015, 2025),
        [
            "xây dựng dự toán ngân sách nhà nước",
            "tăng cường công tác thu ngân sách nhà nước",
            "giải ngân vốn đầu tư công",
        ],
        [
            "công tác thu, chi ngân sách nhà nước",
            "tiến độ giải ngân vốn đầu tư công",
            "việc thực hành tiết kiệm, chống lãng phí",
        ],
        [
            "Rà soát các khoản thu, chống thất thu ngân sách, xử lý nợ đọng thuế.",
            "Đẩy nhanh tiến độ giải ngân vốn đầu tư công, điều chuyển vốn của các dự án chậm giải ngân.",
        ],
    ),
    Topic(
        "dich-ta-lon",
        (2019, 2024),
        [
            "khẩn trương ngăn chặn, không để bệnh Dịch tả lợn châu Phi lây lan",
        ],
        [
            "công tác phòng, chống bệnh Dịch tả lợn châu Phi",
            "việc tiêu hủy lợn bệnh",
        ],
        [
            "Tiêu hủy lợn bệnh theo đúng quy định, hỗ trợ kịp thời người chăn nuôi có lợn bị tiêu hủy.",
            "Kiểm soát chặt chẽ việc vận chuyển, buôn bán lợn và sản phẩm từ lợn.",
        ],
        weight=0.3,
    ),
]

RARE_SENTENCES = [
    "Hỗ trợ tổ chức Lễ hội Gầu Tào của đồng bào Mông theo đúng phong tục, bảo đảm an toàn, tiết kiệm.",
]
"""Sentences put in very few letters, so that a rare-word query has a real answer."""

VERBS = [
    "Tăng cường",
    "Tiếp tục đẩy mạnh",
    "Chủ động rà soát",
    "Tổ chức triển khai",
    "Nghiêm túc thực hiện",
    "Tập trung chỉ đạo",
    "Kiểm tra, giám sát",
    "Đôn đốc, hướng dẫn",
    "Tham mưu triển khai",
    "Phối hợp thực hiện",
    "Nâng cao hiệu quả",
    "Quán triệt, thực hiện nghiêm",
]

TAILS = [
    "trên địa bàn {dia_ban}",
    "theo đúng quy định của pháp luật",
    "đảm bảo hiệu quả, thiết thực, tránh hình thức",
    "gắn với trách nhiệm của người đứng đầu",
    "theo chức năng, nhiệm vụ được giao",
    "kịp thời báo cáo kết quả về {bo_phan} trước ngày {han}",
    "phù hợp với tình hình thực tế tại địa phương",
    "không để bị động, bất ngờ trong mọi tình huống",
    "bảo đảm công khai, minh bạch, đúng đối tượng",
]

GENERAL_SENTENCES = [
    "Tăng cường công tác tuyên truyền để mỗi người dân nâng cao nhận thức, ý thức trách nhiệm với bản thân, "
    "gia đình và cộng đồng.",
    "Người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước {cap_tren} nếu để xảy ra chậm trễ, thiếu sót.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo để xem xét, giải quyết.",
    "Định kỳ hằng tháng tổng hợp kết quả thực hiện, báo cáo {bo_phan} để theo dõi, chỉ đạo.",
    "Phân công cụ thể cán bộ theo dõi, đôn đốc, bảo đảm tiến độ và chất lượng công việc.",
    "Kịp thời biểu dương, khen thưởng các tập thể, cá nhân có thành tích tiêu biểu; xử lý nghiêm các "
    "trường hợp vi phạm.",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong chỉ đạo, điều hành, rút ngắn thời gian xử lý công việc.",
    "Huy động sự tham gia của cả hệ thống chính trị và toàn thể nhân dân trong tổ chức thực hiện.",
]

OPENINGS = [
    "{chu_the} yêu cầu các cơ quan, đơn vị, địa phương tập trung thực hiện một số nội dung sau:",
    "Để triển khai có hiệu quả nhiệm vụ trên, {chu_the} đề nghị các cơ quan, đơn vị thực hiện tốt "
    "một số nội dung sau:",
    "{chu_the} có ý kiến chỉ đạo như sau:",
]

CLOSINGS = [
    "Căn cứ nội dung Công văn, yêu cầu các cơ quan, đơn vị, địa phương nghiêm túc triển khai thực hiện./.",
    "Yêu cầu Thủ trưởng các cơ quan, đơn vị, địa phương nghiêm túc triển khai thực hiện./.",
    "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.",
]

PLACE_SYLLABLES = [
    "Tân", "Phú", "Hòa", "Bình", "An", "Long", "Thạnh", "Hưng", "Phong", "Quang", "Mường", "Nậm", "Pa", "Ka",
    "Bum", "Tà", "Sín", "Chải", "Lăng", "Tè", "Nưa", "Hồ", "Sơn", "Thủy", "Xuân", "Đông", "Tây", "Nam", "Bắc",
    "Trung", "Kim", "Ngọc", "Thanh", "Vĩnh", "Yên", "Lạc", "Hợp", "Thịnh", "Lũng", "Cú", "Pả", "Vi", "Hua",
    "Pắc", "Na", "Khoen", "Lìn", "Hẹ", "Củm", "Ma", "Tổng", "Nghĩa", "Lợi", "Tiến", "Thành", "Mỹ", "Khánh",
]  # fmt: skip
"""Syllables that commune and village names are made of (the names themselves are generated)."""

FIGURE_SENTENCES = [
    "Kinh phí thực hiện dự kiến {tien} triệu đồng, từ nguồn ngân sách {cap} và các nguồn vốn hợp pháp khác.",
    "Đến nay đã có {a}/{b} xã, thị trấn hoàn thành, đạt {pt}% kế hoạch.",
    "Giao UBND {xa} chủ trì, phối hợp với các thôn, bản tổ chức thực hiện, hoàn thành trước ngày {han}.",
    "Tổ chức kiểm tra thực tế tại {xa} và {xa2} trong tháng {thang}/{nam}.",
    "Hỗ trợ {a} hộ gia đình tại bản {ban}, {xa} ổn định cuộc sống.",
    "Trong kỳ, toàn {dia_ban} đã tổ chức {a} hội nghị với {b} lượt người tham dự.",
]
"""Sentences with figures and places, so that letters differ in numbers and names as real ones do."""
