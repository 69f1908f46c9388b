"""Look-alike spellings of a username log into the same account, so they count against one limit."""

from fasthold.accounts.services import username_key


def test_full_width_and_mixed_spellings_share_the_key():
    plain = username_key("koordinator")
    for variant in ("ｋoordinator", "kｏordinator", "ＫＯＯＲＤＩＮＡＴＯＲ", " Koordinator "):
        assert username_key(variant) == plain, variant
    assert username_key("kollega") != plain
