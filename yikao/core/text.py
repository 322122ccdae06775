"""Normalisation of what people type: full-width to half-width, stray spaces."""

import unicodedata

# NFKC turns full-width letters, digits and punctuation into their ASCII forms, and the
# ideographic space into a space; it leaves Chinese characters alone.
_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·", "⋅": "·"})


def to_half_width(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def normalise_input(value: str) -> str:
    """Half-width, trimmed, inner runs of whitespace collapsed."""
    return " ".join(to_half_width(value).split())


def normalise_name_dots(value: str) -> str:
    """The many look-alike dots people type in minority names become the middle dot."""
    return value.translate(_MIDDLE_DOTS)
