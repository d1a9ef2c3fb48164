"""Staff names in Vietnamese order, everywhere a name is shown.

Django's ``User`` keeps two fields and reads them the Western way (``get_full_name()`` is
"first last"). The back office uses them the Vietnamese way:

- ``last_name`` holds the family and middle names ("Họ và tên đệm"): "Trần Văn";
- ``first_name`` holds the given name ("Tên"): "Minh";

and a name reads family name first: "Trần Văn Minh". Wagtail shows ``get_full_name()`` (through
``get_user_display_name``) in page listings, history, workflow, comments, avatars and the user
list, and so do our own screens and reports, so changing the two methods here changes every
place at once. ``get_short_name()`` is the given name, as a Vietnamese colleague is addressed.
"""

from __future__ import annotations


def vietnamese_full_name(user) -> str:
    """Family and middle names, then the given name: "Trần Văn Minh"."""
    parts = ((user.last_name or "").strip(), (user.first_name or "").strip())
    return " ".join(part for part in parts if part)


def vietnamese_short_name(user) -> str:
    """The given name: "Minh"."""
    return (user.first_name or "").strip()


def install_vietnamese_name_order(user_model) -> None:
    """Make ``user_model``'s full and short names read the Vietnamese way (no schema change)."""
    user_model.get_full_name = vietnamese_full_name
    user_model.get_short_name = vietnamese_short_name
