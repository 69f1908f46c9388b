"""CPR numbers: validation of the date part and masking. No Django here.

The modulus-11 check was dropped for numbers issued from 2007, so only the date is checked.
The century follows from the 7th digit (CPR office rules).
"""

import datetime as dt


def normalise(value: str) -> str:
    return value.replace("-", "").replace(" ", "").strip()


def birth_date(value: str) -> dt.date | None:
    """The birth date encoded in a 10-digit CPR number, or None if the digits are no date."""
    digits = normalise(value)
    if len(digits) != 10 or not digits.isdigit():
        return None
    day, month, yy, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:  # 5-8
        century = 2000 if yy <= 57 else 1800
    try:
        return dt.date(century + yy, month, day)
    except ValueError:
        return None


def mask(value: str) -> str:
    digits = normalise(value)
    return f"{digits[:6]}-xxxx" if len(digits) == 10 else ""


def formatted(value: str) -> str:
    digits = normalise(value)
    return f"{digits[:6]}-{digits[6:]}"


def sex(value: str) -> str | None:
    """The sex a CPR number encodes in its last digit ("male" if odd, "female" if even); None if not one."""
    digits = normalise(value)
    if len(digits) != 10 or not digits.isdigit():
        return None
    return "male" if int(digits[-1]) % 2 else "female"
