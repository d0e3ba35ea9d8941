"""Vietnamese names as they are distributed in life, for the synthetic province.

Family names: the shares of the most common ones in Việt Nam (Nguyễn about 38 %, Trần 11 %, Lê 9.5 %,
Phạm 7 %, Hoàng/Huỳnh 5 %, Phan 4.5 %, Vũ/Võ 3.9 %, Đặng 2.1 %, Bùi 2 %, Đỗ 1.4 %, Hồ 1.3 %, Ngô 1.3 %,
Dương 1 %, Lý 0.5 %: the figures usually quoted from the 2005 survey), with the northern spellings
(Hoàng, Vũ) dominant as in Hải Phòng, and the remaining ~8 % spread over rarer names. Middle names are
gendered (Văn for most men, Thị for most women). Given names follow a Zipf-like weighting. Some given
names are written in the old or the new tone placement ("Thuỷ"/"Thủy", "Hoà"/"Hòa"): both are NFC, and
both fold to the same search form.
"""

from __future__ import annotations

# (family name, weight in per-mille)
FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 384), ("Trần", 110), ("Lê", 95), ("Phạm", 71), ("Hoàng", 40), ("Huỳnh", 11),
    ("Phan", 45), ("Vũ", 30), ("Võ", 9), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13),
    ("Dương", 10), ("Lý", 5), ("Đào", 6), ("Đinh", 6), ("Mai", 5), ("Trịnh", 5), ("Lương", 4), ("Đoàn", 5),
    ("Cao", 4), ("Hà", 4), ("Lưu", 3), ("Tạ", 3), ("Vương", 2), ("Tô", 3), ("Phùng", 3), ("Lâm", 2),
    ("Chu", 2), ("Nghiêm", 1.5), ("Mạc", 1.5), ("Tống", 1.5), ("Quách", 1), ("Khúc", 1), ("Phí", 1),
    ("Lại", 1.5), ("Kiều", 1), ("Triệu", 1), ("Thái", 1), ("Doãn", 1), ("Đàm", 1), ("Giang", 1),
    ("Khổng", 0.5), ("Âu", 0.5), ("Văn", 1), ("Nhữ", 0.5), ("Lã", 0.5), ("Trương", 4), ("Châu", 0.5),
]  # fmt: skip

MALE_MIDDLE: list[tuple[str, float]] = [
    ("Văn", 45), ("Đức", 7), ("Minh", 6), ("Hữu", 5), ("Quang", 5), ("Xuân", 4), ("Thanh", 4), ("Công", 4),
    ("Đình", 4), ("Ngọc", 3), ("Mạnh", 2), ("Duy", 2), ("Tiến", 2), ("Trung", 2), ("Bá", 2), ("Quốc", 2),
    ("Hoàng", 1.5), ("Anh", 1.5), ("Thế", 1.5), ("Gia", 1.5),
]  # fmt: skip
FEMALE_MIDDLE: list[tuple[str, float]] = [
    ("Thị", 55), ("Ngọc", 6), ("Thu", 5), ("Thanh", 4), ("Minh", 3), ("Kim", 3), ("Hồng", 3),
    ("Phương", 2), ("Thuỳ", 2), ("Mai", 1.5), ("Bích", 1.5), ("Diệu", 1.5), ("Khánh", 1.5), ("Lan", 1),
    ("Hải", 1), ("Như", 1), ("Quỳnh", 1), ("Bảo", 1), ("Thảo", 1),
]  # fmt: skip
# A second middle name for some (e.g. "Nguyễn Thị Thu Hương", "Trần Văn Minh Đức").
SECOND_MIDDLE = ["Thu", "Minh", "Ngọc", "Thanh", "Hồng", "Đức", "Quang", "Hoài", "Bảo", "Kim", "Xuân"]

MALE_GIVEN = [
    "Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Minh", "Đức", "Thắng", "Cường", "Quân", "Sơn",
    "Tùng", "Huy", "Hiếu", "Trung", "Thành", "Phúc", "Khánh", "Việt", "Toàn", "Quang", "Tú", "Bình",
    "Đạt", "Hoàng", "Kiên", "Lâm", "Mạnh", "Nghĩa", "Phong", "Quý", "Tâm", "Thịnh", "Tiến", "Vinh",
    "Anh", "Bảo", "Chiến", "Công", "Duy", "Giang", "Hậu", "Hiệp", "Hoà", "Khải", "Khoa", "Lộc",
    "Luân", "Nhân", "Phát", "Quyết", "Tài", "Thái", "Thiện", "Thuận", "Trí", "Trọng", "Tường", "Vũ",
    "Đông", "Định", "Hưng", "Lực", "Ngọc", "Sang", "Tân", "Thông", "Thuỵ", "Doanh",
]  # fmt: skip
FEMALE_GIVEN = [
    "Hương", "Lan", "Hoa", "Hằng", "Trang", "Linh", "Thuỷ", "Ngọc", "Phương", "Mai", "Nhung", "Yến",
    "Thảo", "Hạnh", "Huyền", "Duyên", "Hà", "Nga", "Loan", "Liên", "Thu", "Vân", "Hiền", "Dung",
    "Anh", "Chi", "Giang", "Hồng", "Huệ", "Lệ", "Ly", "My", "Nhi", "Oanh", "Quyên", "Quỳnh", "Tâm",
    "Thanh", "Thoa", "Thư", "Trinh", "Tuyết", "Uyên", "Vy", "Xuân", "Bích", "Diệp", "Đào", "Gấm",
    "Hoà", "Hoài", "Khuê", "Lụa", "Mơ", "Ngân", "Nguyệt", "Nhàn", "Phượng", "Sen", "Thắm", "Thuý",
    "Tươi", "Uyển", "Vui", "Xoan", "Yên", "Điệp", "Hảo",
]  # fmt: skip

# Old (ỏa, ủy: "Hoà", "Thuỷ") vs new ("Hòa", "Thủy") tone placement: both are written in life.
NEW_STYLE = {"Hoà": "Hòa", "Thuỷ": "Thủy", "Thuỳ": "Thùy", "Thuý": "Thúy", "Thuỵ": "Thụy"}


def zipf(names: list[str], exponent: float = 0.9) -> list[tuple[str, float]]:
    return [(name, 1.0 / (rank + 1) ** exponent) for rank, name in enumerate(names)]


STREETS = [
    "Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Hoàng Văn Thụ", "Chu Văn An", "Bạch Đằng", "Tô Hiệu",
    "Lạch Tray", "Lê Thánh Tông", "Điện Biên Phủ", "Quang Trung", "Trần Phú", "Lý Thường Kiệt",
    "Nguyễn Đức Cảnh", "Cầu Đất", "Lê Duẩn", "Văn Cao", "Hai Bà Trưng", "Phạm Ngũ Lão", "Thiên Lôi",
]  # fmt: skip
