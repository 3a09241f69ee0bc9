"""Who sent a message (the kind of number) and who it says it is from (a 【brand】, an institution's voice)."""

from __future__ import annotations

import re
import unicodedata

from msgspec import Struct

from .concepts import _find_terms, lexicon
from .text import simplified

SENDER_KINDS = (
    "short-code",  # 95xxx / 96xxx registered service numbers
    "enterprise-port",  # 106 ports (10655, 10657, 10659, 1069...): anyone can rent one
    "service",  # carrier and public service numbers: 10086, 10010, 10000, 12321, 12378...
    "foreign-short-code",  # 5- or 6-digit short codes abroad (US, UK banks): registered, like 95xxx
    "personal-mobile",
    "virtual-mobile",  # 170 / 171 / 162 / 165 / 167 virtual carriers
    "foreign",
    "landline",
    "hotline",  # 400 / 800 numbers do not normally send messages
    "alphanumeric",  # a name such as "Chase": abroad, a registered sender ID
    "unknown",
)
# The kinds a lender would not text from. A 106 port is not among them, but it earns no credit either;
# a name or a foreign short code is how banks abroad text, so it is not odd by itself.
UNUSUAL_SENDERS = frozenset({"personal-mobile", "virtual-mobile", "foreign", "landline", "hotline", "unknown"})
# the kinds that make a 【brand】 header a forgery: no institution texts from them
SPOOFING_SENDERS = frozenset({"personal-mobile", "virtual-mobile", "foreign"})


class Sender(Struct, frozen=True):
    raw: str
    number: str
    kind: str

    @property
    def unusual(self) -> bool:
        return self.kind in UNUSUAL_SENDERS


def classify_sender(sender: str | None) -> Sender | None:
    """What kind of number sent the message; None when no sender is given."""
    if sender is None or not sender.strip():
        return None
    raw = sender.strip()
    number = re.sub(r"[\s\-().\u00ad\u200b-\u200d\u2060\ufeff]", "", unicodedata.normalize("NFKC", raw))
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif number.startswith(("+", "00")):
        return Sender(raw, number, "foreign")
    if re.fullmatch(r"861[3-9]\d{9}", number):
        number = number[2:]
    if not number.isdigit():
        # Hong Kong's registered sender IDs begin with "#" (#HSBC, #ADCC18222): a name, not an oddity
        name = number[1:] if number.startswith("#") else number
        return Sender(raw, number, "alphanumeric" if name.replace("_", "").isalnum() else "unknown")
    for kind, pattern in (
        ("virtual-mobile", r"1(?:70|71|62|65|67)\d{8}"),
        ("personal-mobile", r"1[3-9]\d{9}"),
        ("short-code", r"9[56]\d{3}\d{0,7}"),
        ("enterprise-port", r"106\d{2,18}"),
        ("service", r"(?:100\d{2}|12\d{3})\d{0,4}|1010\d{4}"),  # 1010xxxx: nationwide customer-service numbers
        ("hotline", r"[48]00\d{7}"),
        ("landline", r"0[1-9]\d{8,10}"),
        ("foreign-short-code", r"[2-9]\d{4,5}"),
        ("service", r"1\d{2,3}"),  # 110, 111 (Taiwan's government), 165 (Taiwan's anti-fraud line)
    ):
        if re.fullmatch(pattern, number):
            return Sender(raw, number, kind)
    return Sender(raw, number, "unknown")


# -- who the message says it is from ------------------------------------------------------
# a 【brand】 or 〔brand〕 at the start or the end; "[...]" only at the start ("[捂脸]" at the end is an emoji)
_HEADER = re.compile(r"^\s*[【\[［〔]([^】\]］〕\n]{2,24})[】\]］〕]|[【〔]([^】〕\n]{2,24})[】〕]\s*$")
# words by which a message speaks as an institution (a friend who mentions a credit card does not)
_INSTITUTION = re.compile(
    r"我行|本行|我司|本司|本公司|我公司|平台|我们(?:公司|银行|机构)|贵司|客服|专员|工作人员|法务|催收|律所|本所|公安|警方|银行|金融|征信中心"
    r"|您[^，,。！？\n]{0,10}?(?:账户|帐户|借款|贷款|信用卡|账单|额度|欠款|还款|逾期|减免|分期|网贷)"
    r"|你[^，,。！？\n]{0,10}?(?:借款|贷款|账单|额度|欠款|逾期|减免|网贷)"
    r"|\b(?:bank|agency|department|collections?|officer|court|police|credit (?:file|report)"
    r"|your (?:account|loan|card|balance|payment|debt|identity))\b"
)


def name_in(name: str, norm_text: str) -> bool:
    """Whether a (normalised) text names ``name``: a Latin name as a whole word ("chase" is not in "purchase"), as the
    lexicon's terms are found."""
    return bool(_find_terms(norm_text, (name,)))


def institutions_named(norm_text: str) -> list[str]:
    """The institutions of the lexicon's sender list that a (normalised) text names."""
    found = []
    for key, inst in lexicon()["official_senders"]["institutions"].items():
        if any(name_in(name, norm_text) for name in inst["names"]):
            found.append(key)
    return found


def _official_numbers(institution: str) -> list[str]:
    return lexicon()["official_senders"]["institutions"][institution]["numbers"]


def _brand(text: str) -> str | None:
    m = _HEADER.search(unicodedata.normalize("NFKC", simplified(text)))
    if m is None:
        return None
    brand = (m.group(1) or m.group(2)).strip().lower()
    return re.sub(r"\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+", "", brand)  # "花 呗" is 花呗
