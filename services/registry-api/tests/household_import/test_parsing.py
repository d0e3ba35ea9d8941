"""Where a commune list ends: the total row, not a family name that looks like one."""

from __future__ import annotations

from datetime import date

from registry_api.household_import.parsing import parse

HEADING = "STT;Họ và tên;Số CCCD;Ngày sinh;Giới tính;Thôn/Tổ dân phố;Quan hệ với chủ hộ;Diện hộ\n"
SIGNATURE = (
    ";;;;;;;\n"
    ";NGƯỜI LẬP BIỂU;;;;;Đường An, ngày 20 tháng 11 năm 2026;\n"
    ";Vũ Thị Thanh Huyền;;;;;Nguyễn Văn Thắng;\n"
)


def names(content: str) -> list[str]:
    parsed = parse(content.encode(), "csv", today=date(2026, 11, 29))
    return [row.values["full_name"] for row in parsed.rows]


def test_members_named_tong_or_cong_do_not_end_the_list() -> None:
    # "Tống" and "Công" fold to "tong" and "cong", the first words of a total row; a child without a
    # citizen ID in the middle of the list once ended it there, dropping every household after it.
    content = (
        HEADING
        + "1;Đỗ Văn Khải;030044147232;21/05/1944;Nam;Thôn Cao Xá;Chủ hộ;Người có công\n"
        + ";Tống Thị Lan;;03/03/2015;Nữ;;Cháu\n"
        + ";Công Văn Bình;;2016;Nam;;Cháu\n"
        + "2;Lê Văn Nam;031085000321;01/02/1985;Nam;Thôn Cao Xá;Chủ hộ;Hộ nghèo\n"
        + "Tổng cộng;;;;;;;\n"
        + SIGNATURE
    )
    assert names(content) == ["Đỗ Văn Khải", "Tống Thị Lan", "Công Văn Bình", "Lê Văn Nam"]


def test_a_subtotal_per_hamlet_is_skipped_and_the_list_goes_on() -> None:
    content = (
        HEADING
        + "1;Đỗ Văn Khải;030044147232;21/05/1944;Nam;Thôn Cao Xá;Chủ hộ;Người có công\n"
        + "Cộng thôn Cao Xá;;;;;;;1 hộ\n"
        + "2;Lê Văn Nam;031085000321;01/02/1985;Nam;Thôn Kiều Thị;Chủ hộ;Hộ nghèo\n"
        + ";Trần Thị Mai;;03/03/1986;Nữ;;Vợ\n"
        + "Cộng thôn Kiều Thị;;;;;;;1 hộ\n"
        + "Tổng số;;;;;;;2 hộ\n"
        + SIGNATURE
    )
    assert names(content) == ["Đỗ Văn Khải", "Lê Văn Nam", "Trần Thị Mai"]


def test_the_total_row_ends_the_list_and_the_signature_block_is_not_read() -> None:
    content = (
        HEADING
        + "1;Đỗ Văn Khải;030044147232;21/05/1944;Nam;Thôn Cao Xá;Chủ hộ;Người có công\n"
        + "Tổng;;;;;;;1\n"
        + ";Tống Văn Ký;;;;;;\n"  # after the total: a signer, not a member
        + SIGNATURE
    )
    assert names(content) == ["Đỗ Văn Khải"]
