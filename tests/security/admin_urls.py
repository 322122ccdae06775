"""Arguments that fill any Django-admin URL pattern, for tests that walk the whole admin."""

import re


def admin_url_kwargs(pattern, object_id: str) -> dict[str, str]:
    """Each named group of the pattern filled: its own app label, a page name for the
    catch-all, and `object_id` for everything else (object ids, pks)."""
    kwargs = {}
    for group in pattern.pattern.regex.groupindex:
        if group == "app_label":
            match = re.search(r"\(\?P<app_label>(\w+)", pattern.pattern.regex.pattern)
            kwargs[group] = match.group(1) if match else "accounts"
        elif group == "url":
            kwargs[group] = "no-such-page/"
        else:
            kwargs[group] = object_id
    return kwargs
