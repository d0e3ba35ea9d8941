"""The identifier checks and the name folding, without a database."""

from __future__ import annotations

import unicodedata

import pytest

from registry_api.person.identifiers import (
    CitizenIdProblem,
    Gender,
    check_citizen_id,
    check_legacy_id,
    fold_name,
    normalise_phone,
    search_words,
)

MALE, FEMALE = Gender.MALE, Gender.FEMALE


class TestCitizenId:
    @pytest.mark.parametrize(
        ("number", "year", "gender"),
        [
            ("031078000123", 1978, MALE),  # born 1900-1999: 0 male
            ("030165004567", 1965, FEMALE),  # 1 female; 030 = birth registered in Hải Dương
            ("001201000999", 2001, MALE),  # born 2000-2099: 2 male; 001 = Hà Nội, not the residence
            ("079324123456", 2024, FEMALE),  # 3 female
            ("031400000001", 2100, MALE),  # 2100s: 4 male
        ],
    )
    def test_accepts_numbers_agreeing_with_birth_and_gender(
        self, number: str, year: int, gender: Gender
    ) -> None:
        result = check_citizen_id(number, birth_year=year, gender=gender)
        assert result.ok
        assert result.value == number

    def test_ignores_spaces_and_dots(self) -> None:
        assert check_citizen_id("031 078.000 123", birth_year=1978, gender=MALE).value == "031078000123"

    @pytest.mark.parametrize("number", ["03107800012", "0310780001234", "03107800012A", "", "０３１"])
    def test_refuses_malformed_numbers(self, number: str) -> None:
        assert check_citizen_id(number, birth_year=1978, gender=MALE).problems == (
            CitizenIdProblem.MALFORMED,
        )

    def test_a_nine_digit_number_is_a_legacy_id_card(self) -> None:
        result = check_citizen_id("031456789", birth_year=1978, gender=MALE)
        assert result.problems == (CitizenIdProblem.LEGACY_NUMBER,)

    def test_refuses_a_gender_digit_that_disagrees(self) -> None:
        result = check_citizen_id("031078000123", birth_year=1978, gender=FEMALE)
        assert result.problems == (CitizenIdProblem.CENTURY_GENDER_MISMATCH,)

    def test_refuses_a_century_digit_that_disagrees(self) -> None:
        # Digit 4 = 0 says "born in the 1900s", but the person was born in 2001.
        result = check_citizen_id("031001000123", birth_year=2001, gender=MALE)
        assert result.problems == (CitizenIdProblem.CENTURY_GENDER_MISMATCH,)

    def test_refuses_birth_year_digits_that_disagree(self) -> None:
        result = check_citizen_id("031079000123", birth_year=1978, gender=MALE)
        assert result.problems == (CitizenIdProblem.BIRTH_YEAR_MISMATCH,)

    def test_reports_every_disagreement(self) -> None:
        result = check_citizen_id("031379000123", birth_year=1978, gender=MALE)
        assert set(result.problems) == {
            CitizenIdProblem.CENTURY_GENDER_MISMATCH,
            CitizenIdProblem.BIRTH_YEAR_MISMATCH,
        }

    def test_checks_only_the_layout_without_birth_or_gender(self) -> None:
        assert check_citizen_id("031379000123", birth_year=None, gender=None).ok


class TestLegacyIdAndPhone:
    def test_legacy_id_is_nine_digits(self) -> None:
        assert check_legacy_id("031 456 789") == "031456789"
        assert check_legacy_id("031456789012") is None
        assert check_legacy_id("03145678X") is None

    @pytest.mark.parametrize(
        ("raw", "e164"),
        [
            ("0912345678", "+84912345678"),
            ("0912 345 678", "+84912345678"),
            ("091.234.5678", "+84912345678"),
            ("+84912345678", "+84912345678"),
            ("+84 38 123 4567", "+84381234567"),
            ("0571234567", "+84571234567"),
        ],
    )
    def test_normalises_mobile_numbers_to_e164(self, raw: str, e164: str) -> None:
        assert normalise_phone(raw) == e164

    @pytest.mark.parametrize(
        "raw",
        [
            "091234567",  # 9 digits
            "09123456789",  # 11 digits
            "0212345678",  # 02x is a landline prefix
            "84912345678",  # +84 without the plus
            "+8491234567",  # +84 and 8 digits
            "+14155550123",
            "09123456a8",
        ],
    )
    def test_refuses_other_numbers(self, raw: str) -> None:
        assert normalise_phone(raw) is None


class TestFoldName:
    @pytest.mark.parametrize(
        "name",
        [
            "Nguyễn Văn Đức",
            unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
            "NGUYỄN VĂN ĐỨC",
            "nguyen van duc",
            "NGUYEN  VAN DUC",
            "  Nguyễn\tVăn   Đức ",
        ],
    )
    def test_folds_diacritics_case_normal_forms_and_spacing(self, name: str) -> None:
        assert fold_name(name) == "nguyen van duc"

    def test_folds_every_vietnamese_letter(self) -> None:
        assert fold_name("Ưng Ơn Ặng Ộ Ự Ỹ Đ đ") == "ung on ang o u y d d"

    def test_punctuation_separates_words(self) -> None:
        assert fold_name("Lê Thị-Hoa (Út)") == "le thi hoa ut"

    def test_search_words_keep_letters_and_digits_only(self) -> None:
        assert search_words("nguyễn & văn | đ:*") == ["nguyen", "van", "d"]
        assert search_words(" -- ") == []
