"""Phone numbers that work: the practice's numbers, checked for its region.

The numbers print in the "Get help now" box, so a letter O for a zero, "call
reception" or a number too short to dial is an error. The emergency number is
checked against the region's known emergency numbers: a warning, an error with
``check --strict``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

DIALLABLE = re.compile(r"^\+?[0-9(][0-9 ()./-]*$")
"""What a printed phone number may hold: digits, an optional leading +, and spacing."""
KNOWN_EMERGENCY = ("999", "112", "911", "000", "111", "110", "119", "100", "15", "17", "18")


def default_region(paper: str) -> str:
    """The region a practice is in when it does not say: Letter paper is North America."""
    return "US" if paper == "letter" else "GB"


def check_phones(file: Any, region: str, add: Callable[..., None]) -> None:
    """Report each phone number of ``file`` that cannot be dialled in ``region``."""
    import phonenumbers
    from phonenumbers import shortnumberinfo

    if region not in phonenumbers.SUPPORTED_REGIONS:
        add(
            ("region",),
            f"unknown region {region!r}; expected a two-letter country code, "
            "such as GB, US, IE or AU",
        )
        return
    for field in ("urgent_phone", "phone"):
        value = getattr(file, field)
        if value and not _dialable(value, region):
            add(
                (field,),
                f"not a phone number that can be dialled in {region}; got {value!r} "
                "(the full number with its area code, such as 020 7946 0123; "
                "or leave it empty for a line to write on)",
            )
    emergency = file.emergency_number
    if emergency and not (
        DIALLABLE.match(emergency) and shortnumberinfo.is_emergency_number(emergency, region)
    ):
        known = [n for n in KNOWN_EMERGENCY if shortnumberinfo.is_emergency_number(n, region)]
        add(
            ("emergency_number",),
            f"{emergency!r} is not an emergency number in {region} "
            f"(expected one of: {', '.join(known)})",
            warning=True,
        )


def _dialable(value: str, region: str) -> bool:
    """A full number (with its area code) that is valid in ``region``; a short number
    such as 123 reaches a service, not the practice."""
    import phonenumbers

    if not DIALLABLE.match(value.strip()):
        return False
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)
