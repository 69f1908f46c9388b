"""A person's name as the case list sorts it: Danish alphabetical order, whatever the case. No Django here.

Code point order puts "Å" before "Æ" and every capital before every small letter. The key folds case,
sorts æ (and ä), ø (and ö), å last in that order, and ignores other accents ("é" sorts as "e").
It is stored on the case (Case.sort_name) so that the list can walk an index instead of sorting every
case by its person's name on each request.
"""

import unicodedata

MAX_LENGTH = 200

# After "z" in code point order, in the Danish alphabet's order: æ, ø, å.
_DANISH = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})


def sort_key(name: str) -> str:
    folded = unicodedata.normalize("NFC", name).strip().casefold().translate(_DANISH)
    plain = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return " ".join(plain.split())[:MAX_LENGTH]
