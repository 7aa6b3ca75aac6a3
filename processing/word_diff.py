"""Two versions of a text with the words that changed marked: removed words in <del> in the
old text, added words in <ins> in the new one, so that a reader sees which words changed
instead of a whole paragraph struck through and written again."""

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Beyond this many words on either side the comparison (quadratic in the worst case) is not
# worth it: the texts are then marked as a whole, as before.
MAX_WORDS = 2000

# A word with the spaces after it: words are compared without them, so that the space between
# two changed words does not count as a match that splits one change in two.
_TOKENS = re.compile(r"^\s+|\S+\s*")


def _marked(words: list[str], tag: str, prefix: str) -> SafeString:
    # Screen readers do not announce <del> and <ins>: a hidden word says what happened.
    return format_html(
        '<span class="visually-hidden">{}</span><{}>{}</{}>', prefix, tag, "".join(words), tag
    )


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """The old text with its removed words marked, and the new text with its added words
    marked; both escaped."""
    removed, added = _("verwijderd:"), _("toegevoegd:")
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if len(a) > MAX_WORDS or len(b) > MAX_WORDS:
        return _marked([old], "del", removed), _marked([new], "ins", added)
    old_html: list[str] = []
    new_html: list[str] = []
    matcher = difflib.SequenceMatcher(
        None, [word.rstrip() for word in a], [word.rstrip() for word in b], autojunk=False
    )
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            old_html.append(escape("".join(a[a_start:a_end])))
            new_html.append(escape("".join(b[b_start:b_end])))
            continue
        if a_end > a_start:
            old_html.append(_marked(a[a_start:a_end], "del", removed))
        if b_end > b_start:
            new_html.append(_marked(b[b_start:b_end], "ins", added))
    # Every piece was escaped above (escape, format_html).
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))
