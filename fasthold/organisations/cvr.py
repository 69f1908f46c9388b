"""CVR numbers (Danish company register): 8 digits, modulus-11 check. No Django here."""

_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_is_valid(value: str) -> bool:
    if len(value) != 8 or not value.isdigit() or value[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(value, _WEIGHTS)) % 11 == 0
