"""Whose address a link is: an institution's own website, a public one, or one dressed as an institution's.

Offline, like the rest of the triage: the address is only read, never resolved. A link to the site of an
institution a message names (in its 【brand】 or its text; abroad, "Chase:" from Chase) is the institution's own
and no red flag: a scammer who sends it only sends you to the real site. A link whose name is made of the
institution's name plus other words ("jd-jintiao-vip.top" under 【京东金融】) is a look-alike: how fake login and
refund pages are made.
"""

from __future__ import annotations

import re
from functools import cache

from .concepts import lexicon
from .text import normalise

# second-level names under a country's ending: the registrable name is one label longer ("icbc.com.cn", "hsbc.com.hk")
_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "co", "ac"})
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
# a sender's name at the start of a message abroad: "Chase: ...", "Capital One: ..."
_SPEAKER = re.compile(r"^\s*([A-Za-z][A-Za-z&' ]{1,30}?)\s*:")


def link_host(quote: str) -> str | None:
    """The host a link names, plainly written ("https://M.JD-vip.top/x" -> "m.jd-vip.top"); None for an IP address."""
    text = _SCHEME.sub("", normalise(quote).text.strip())
    host = re.split(r"[/?#:\s]", text, maxsplit=1)[0].strip(".")
    labels = host.split(".")
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return None
    return host


def registrable(host: str) -> str:
    """The name a host is registered under: its last two labels, three under a country's "com", "net"... ."""
    labels = host.split(".")
    n = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-n:])


def speaker(text: str, sender_name: str | None) -> tuple[str, ...]:
    """The names a message abroad is sent under ("Capital One: ...", "Citi Alert: ..." or the sender ID "Chase"), as a
    site would spell them: the whole name and its first word ("capitalone", "capital"; "citialert", "citi")."""
    m = _SPEAKER.match(text)
    name = m.group(1) if m else sender_name
    if not name:
        return ()
    words = [w for w in re.split(r"[\s&'#]+", name.lower()) if w]
    out = tuple(
        dict.fromkeys(n for n in ("".join(words), words[0] if words else "") if n.isascii() and n.isalnum() and len(n) >= 3)
    )
    return out


@cache
def _institutions() -> dict:
    return lexicon()["official_senders"]["institutions"]


def _public(domain: str) -> bool:
    return any(domain == p or domain.endswith("." + p) for p in lexicon()["official_senders"]["public_domains"])


def is_official(host: str, institutions: list[str], names: tuple[str, ...] = ()) -> bool:
    """Whether ``host`` is a public body's site, the own site of an institution the message names, or named like its
    sender abroad (``names``, from ``speaker``)."""
    domain = registrable(host)
    if _public(domain):
        return True
    if any(domain in _institutions()[key].get("domains", ()) for key in institutions):
        return True
    return domain.split(".")[0] in names


def is_lookalike(host: str, institutions: list[str]) -> bool:
    """Whether ``host`` is dressed as the site of an institution the message names without being it: one of
    its words is the institution's name, the rest is not its own ("jd-jintiao-vip.top", "cmb.com-pay.cc")."""
    if is_official(host, institutions):
        return False
    labels = host.split(".")[:-1]  # not the ending
    words = {w for label in labels for w in re.findall(r"[a-z]+|[0-9]+", label)}  # "10086-jfdh": 10086, jfdh
    for key in institutions:
        inst = _institutions()[key]
        names = set(inst.get("labels", ())) | {d.split(".")[0] for d in inst.get("domains", ())}
        if words & names:
            return True
    return False


# the words by which an address claims to be a government's ("parking-gov.uk-fines.info", "gov-refund.com")
_GOVERNMENT = frozenset({"gov", "govt", "gouv"})


def is_public_lookalike(host: str) -> bool:
    """Whether ``host`` is dressed as a government's site without being under a government's ending: a public body's
    site ends in its own (gov.cn, gov.uk, .gov), never has "gov" as one word among others."""
    if _public(registrable(host)):
        return False
    words = {w for label in host.split(".")[:-1] for w in re.findall(r"[a-z]+", label)}
    return bool(words & _GOVERNMENT)
