import pytest

from accounts.credit_code import CreditCodeError, validate_credit_code


def test_a_published_example_code_is_valid():
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "raw, code",
    [
        ("91350100M000100Y44", "invalid_check_digit"),
        ("91350100M000100Y4", "invalid_length"),
        ("91350100M00O100Y43", "invalid_character"),  # letter O is never used
        ("913501A0M000100Y43", "invalid_division"),
    ],
)
def test_bad_codes_are_refused_with_the_reason(raw, code):
    with pytest.raises(CreditCodeError) as err:
        validate_credit_code(raw)

    assert err.value.code == code
