"""Whether a hit is warned of ("请勿", "never", "谨防", "...都是诈骗") rather than asked for."""

from __future__ import annotations

import re
import unicodedata

from .concepts import _WARN_BACKWARD, _WARN_FORWARD
from .text import simplified

# A warning such as "工行不会以任何理由要求您转账到安全账户" or "we will never ask for your PIN" is advice, not a red flag.
# An A-not-A question ("你能不能先转我", "要不要", "有没有") asks; it negates nothing.
_NEGATION = re.compile(
    r"(?<!会)不会|(?<!要)不要|请勿|切勿|勿|切莫|千万别|请别|不得(?!安宁|安生|好死|好过)|严禁|禁止|谨防|警惕|绝不|从不|决不|所谓|谎称|无法|(?<!能)不能|不存在|不涉及"
    r"|(?<!有)没有|并非|自称|声称"
    r"|不接受|不收取|谢绝|无需|(?<!需)不需要|不必"  # "本所不接受任何个人账户转账", "调解不收取任何费用"
    r"|\bnever\b|\b(?:do|does|did|will|would|shall|can|should|must) not\b|\b(?:don|doesn|didn|won|wouldn|can|shouldn|mustn)['’]t\b"
    r"|\bno one\b|\bnobody\b|\bbeware\b"
)
# ...unless the negation belongs to a condition: "if you do not pay we will tell your boss", "请勿拖延立即转账"
_CONSEQUENCE = re.compile(
    r"否则|不然|立即|马上|立刻|赶紧|尽快|hesitate|\bor (?:else|we|you(?:['’]ll| will))\b|\botherwise\b|\bwe will\b|\bthen\b|\bnow\b"
)
_CLAUSE_END = re.compile(r"[，,。！？!?；;：:\n]|\.\s")
_LOOKBACK = 60


_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?:\s|$)")


def _negated(text: str, start: int, end: int | None = None) -> bool:
    """Whether a hit at [start, end) is spoken of as something to beware of, not asked for.

    A negation earlier in its clause ("请勿", "never", "不会") or a warning word anywhere before it
    in its sentence ("谨防", "凡是", "任何人"), unless a condition follows it ("否则", "or we will");
    or a verdict after it in its sentence ("...都是诈骗", "is a scam").
    """
    window = text[max(0, start - _LOOKBACK) : start]
    ends = list(_CLAUSE_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    window = unicodedata.normalize("NFKC", simplified(window)).lower()
    hits = list(_NEGATION.finditer(window))
    if hits and not _CONSEQUENCE.search(window, hits[-1].end()):
        return True
    if end is not None:  # a negation between the words of the hit: "验证码不要告诉任何人", "勿向个人账户转账"
        inside = text[start:end]
        ends = list(_CLAUSE_END.finditer(inside))
        if ends:  # only in the clause that ends the hit: "停催，…都不会再打你电话，…服务费" is not negated
            inside = inside[ends[-1].end() :]
        inside = unicodedata.normalize("NFKC", simplified(inside)).lower()
        inner = list(_NEGATION.finditer(inside))
        if inner and not _CONSEQUENCE.search(inside, inner[-1].end()):
            return True
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 200), start)), default=0)
    before = unicodedata.normalize("NFKC", simplified(text[sentence_start:start])).lower()
    warned = [m for m in _WARN_FORWARD.finditer(before)]
    if warned and not _CONSEQUENCE.search(before, warned[-1].end()):
        return True
    stop = _SENTENCE_END.search(text, start)  # what follows the hit in the sentence where it starts
    after = unicodedata.normalize("NFKC", simplified(text[start : stop.start() if stop else len(text)][:300])).lower()
    return bool(_WARN_BACKWARD.search(after))
