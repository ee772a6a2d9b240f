"""Text that people and files bring in: the invisible characters the portal never keeps.

Direction overrides (U+202E turns "Desa gpj.exe" into what reads as "Desa exe.jpg"), zero-width
characters and control bytes are invisible on screen, yet they make two equal-looking names differ,
break searches and exports and can disguise a title. `clean_text()` is the one sanitiser: forms use
it (percontohan.forms), and so can imports and any other way text comes in.
"""

import re

# Tab, line feed and carriage return are kept: a textarea sends its line breaks as CR LF.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls, DEL
_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark (a direction mark)
    "\u180e"  # Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    "\u202a-\u202e"  # direction embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u206f"  # direction isolates, deprecated format characters
    "\ufeff"  # zero-width no-break space (byte order mark)
    "\ufff9-\ufffb"  # interlinear annotation
    "\U000e0000-\U000e007f"  # tag characters
)
INVISIBLE_CHARACTERS = re.compile(f"[{_CONTROLS}{_INVISIBLE}]")
# What a request's path or parameter may never hold: PostgreSQL cannot store NUL, and no link or
# form of the portal sends a control character (tab, line feed and carriage return aside).
FORBIDDEN_IN_REQUESTS = re.compile(f"[{_CONTROLS}]")


def clean_text(value):
    """`value` without control characters (tab and line breaks kept), direction overrides and other
    invisible characters; anything that is not a string is returned unchanged."""
    if not isinstance(value, str):
        return value
    return INVISIBLE_CHARACTERS.sub("", value)


def has_forbidden_characters(value):
    """Whether `value` holds NUL or another control character that no request of the portal carries."""
    return bool(FORBIDDEN_IN_REQUESTS.search(value))
