"""Links as text: web endings, the characters of a URL, and disguised links ("www点x点top", "hxxp") written plainly."""

from __future__ import annotations

import re

_TLDS = (
    r"com|cn|net|org|top|xyz|cc|vip|info|me|io|co|app|site|club|shop|online|link|ly|gl|tk|ml|ga|cf|gq|pw|win|bid|live|fun|icu"
    r"|cyou|buzz|store|tech|work|ren|wang|cloud|asia|hk|tw|mo|biz|tv|ws|la|im|gd|gy|su|ru|xin|ink|pro|fit|loan|cash|money"
    r"|finance|vin|red|kim|mobi|today|life|world|email|website|space|press|host|uk"
    r"|nu|to|be|id|sh|ai|so|is|st|ee|us|in|de|jp|kr|sg|my|ph|vn|au|ca|eu"  # short-link services: u.nu, is.gd, x.co, t.ly...
)
_TLD_SET = frozenset(_TLDS.split("|"))
# a path ends at whitespace, quotes, brackets, commas or Chinese text (filler before Chinese is gone after normalising)
_URL_CHAR = r"[^\s<>\"'，,。、！？；）)】」\u3000-\u9fff\uf900-\uffef]"
_URL_TAIL = r"(?:[/?#]" + _URL_CHAR + r"*)?"

# a dot written as a word or a sign, with at most two spaces around it ("x . cn"; a plain "." only before
# a common web ending, so that "approved. To" stays a sentence)
_COMMON_TLDS = frozenset({"com", "cn", "net", "org", "top", "xyz", "vip", "cc", "info", "app", "site", "shop", "online", "club"})
_DOT = r"[ ]{0,2}(?:\.|点|。|dot|\(dot\)|\[dot\]|\[\.\]|\(\.\)|·)[ ]{0,2}"
_DOTTED = re.compile(r"(?<![a-z0-9-])[a-z0-9][a-z0-9-]{0,62}(?:" + _DOT + r"[a-z0-9][a-z0-9-]{0,62}){1,4}(?![a-z0-9-])")
_SPLIT_DOT = re.compile(_DOT)
_HXXP = re.compile(r"(?<![a-z])h(?:xx|\*\*|tt)p(s?)(?:[ ]{0,2}:[ ]{0,2}|[ ]{0,2}：)?[ ]{0,2}//")


def _plain_links(chars: list[tuple[str, int]]) -> tuple[str, tuple[int, ...]]:
    """Write disguised links plainly, keeping each character's origin: "www点hk-pay点top" -> "www.hk-pay.top"."""
    text = "".join(c for c, _ in chars)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in ``text``
    for m in _HXXP.finditer(text):
        edits.append((m.start(), m.end(), f"http{m.group(1)}://"))
    for m in _DOTTED.finditer(text):
        labels = _SPLIT_DOT.split(m.group())
        if labels[-1] not in _TLD_SET or m.group() == ".".join(labels):
            continue  # not a domain, or already plain
        dots = [d.group().strip() for d in _SPLIT_DOT.finditer(m.group())]
        if all(d == "." for d in dots) and labels[-1] not in _COMMON_TLDS:
            continue  # "approved. to": a full stop and a word
        for dot in _SPLIT_DOT.finditer(m.group()):
            edits.append((m.start() + dot.start(), m.start() + dot.end(), "."))
    if not edits:
        return text, tuple(i for _, i in chars)
    out: list[tuple[str, int]] = []
    pos = 0
    for start, end, repl in sorted(edits):
        if start < pos:
            continue
        out.extend(chars[pos:start])
        out.extend((c, chars[start][1]) for c in repl)
        pos = end
    out.extend(chars[pos:])
    return "".join(c for c, _ in out), tuple(i for _, i in out)


def _merchant_name(quote: str) -> bool:
    """ "AMAZON.COM" in a card alert: a merchant's name in capitals, no scheme, no path; not a link to follow."""
    return quote.isupper() and "/" not in quote and ":" not in quote
