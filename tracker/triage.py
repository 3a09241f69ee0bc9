"""Collection-message red flags: normalise a text, match scam patterns, score them and advise.

Pure and offline: a link in a message is only text here; nothing is opened, resolved or looked up.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .i18n import N_, _, ngettext

# -- the fixed vocabulary -------------------------------------------------------
FLAG_CODES = (
    "pay-third-party",
    "erase-credit-record",
    "asks-secrets",
    "settlement-agent",
    "brand-spoofing",
    "fake-authority",
    "harm-to-others",
    "off-channel",
    "threat",
    "third-party-contact",
    "payment-link",
    "legal-pressure",
    "non-official-sender",
    "ledger-disagrees",
    "link",
    "urgency",
)

# Each flag counts once, whatever the number of hits. The "strong" flags each reach
# LIKELY_SCAM_AT alone: no lender asks for a code, takes money into someone else's account,
# sells a clean credit record, charges a fee to "negotiate" a debt, texts under a bank's name
# from a personal phone, or has the police collect a loan. The weak ones (links, deadlines,
# odd senders, legal talk) also appear in genuine reminders, so only a combination of them
# reaches LIKELY_SCAM_AT; and signs of a genuine notice (below) lower a score made of weak flags.
WEIGHTS: dict[str, int] = {
    "pay-third-party": 60,
    "erase-credit-record": 60,
    "asks-secrets": 60,
    "settlement-agent": 55,
    "brand-spoofing": 55,
    "fake-authority": 50,
    "harm-to-others": 50,
    "off-channel": 50,
    "threat": 45,
    "third-party-contact": 35,
    "payment-link": 30,
    "legal-pressure": 25,
    "non-official-sender": 20,
    "ledger-disagrees": 15,
    "link": 15,
    "urgency": 10,
}
STRONG = frozenset(code for code, weight in WEIGHTS.items() if weight >= 50)
# what a sign of a genuine notice takes off a score made of weak flags only
# (the last digits of a card are easy for a scammer to know: they count for little)
LEGITIMACY: dict[str, int] = {
    "official-channel": 20,
    "reference": 5,
    "sender-matches": 25,
    "ledger-overdue": 15,
    "anti-fraud-notice": 20,
}

TITLES: dict[str, str] = {
    "pay-third-party": N_("Pay into someone else's account"),
    "erase-credit-record": N_("Erase a credit record"),
    "asks-secrets": N_("Asks for codes or card details"),
    "settlement-agent": N_("Fee to negotiate your debt"),
    "brand-spoofing": N_("A bank's name from a personal number"),
    "fake-authority": N_("Police or court demanding money"),
    "threat": N_("Threats"),
    "harm-to-others": N_("Threatens your family, school or contacts"),
    "off-channel": N_("Moves you to a group, a meeting or remote control"),
    "payment-link": N_("A link to pay, sign or log in"),
    "third-party-contact": N_("Someone else's debt"),
    "legal-pressure": N_("Legal pressure"),
    "non-official-sender": N_("Not an official sender"),
    "ledger-disagrees": N_("Not what your records show"),
    "link": N_("Link"),
    "urgency": N_("Rush"),
}

MAX_SCORE = 100
LIKELY_SCAM_AT = 50  # score >= this: likely-scam
SUSPICIOUS_AT = 10  # score >= this: suspicious; every weight is at least this, so any flag is suspicious

LIKELY_SCAM = "likely-scam"
SUSPICIOUS = "suspicious"
NO_RED_FLAGS = "no-red-flags"
VERDICTS = (LIKELY_SCAM, SUSPICIOUS, NO_RED_FLAGS)

MESSAGES: dict[str, str] = {
    "pay-third-party": N_(
        "Lenders take repayments only through their own official channels, never ask anyone else to pay a borrower's debt "
        "and charge no fee before paying out a loan, so money sent to a personal, 'safe' or 'designated' account goes to the sender."
    ),
    "link": N_(
        "Links in debt and credit messages often lead to fake login or payment pages; open the lender's official app or website yourself instead."
    ),
    "erase-credit-record": N_(
        "Nobody can delete accurate overdue records, 'repair' credit or protect it by cancelling an account; "
        "errors are corrected only through the free official dispute (异议) with the PBOC Credit Reference Center or the lender."
    ),
    "asks-secrets": N_(
        "No real lender, bank or police officer asks for your verification code, password, card or ID number by message, "
        "and whoever has them can take your money or borrow in your name."
    ),
    "threat": N_(
        "Lawful collectors may not threaten violence or arrest, or expose you to your family, contacts or employer, "
        "and collecting illegal debts by threats or harassment is a crime (Criminal Law art. 293-1): report it to 110."
    ),
    "legal-pressure": N_(
        "Talk of lawsuits, lawyer's letters or criminal charges without a case number you can check with the court yourself "
        "is a pressure tactic, and a lawyer's letter is not a court ruling."
    ),
    "urgency": N_(
        "A deadline of hours or a 'last notice' is meant to stop you from checking; a real lender leaves you time to call its official number."
    ),
    "non-official-sender": N_(
        "Banks and licensed lenders text from registered service numbers, not from personal, virtual-carrier or foreign numbers, "
        "and do not move you to a personal phone, WeChat or QQ (a 106 number proves nothing either way)."
    ),
    "third-party-contact": N_(
        "You owe nothing on someone else's loan unless you signed as their guarantor (Civil Code art. 681), "
        "and collectors may not press unrelated people to pay."
    ),
    "settlement-agent": N_(
        "Agents who promise to stop interest (停息挂账), restructure or 'negotiate' your debt for a deposit or fee are not "
        "lenders: you can ask your lender for a repayment plan yourself, free, through its official customer service."
    ),
    "brand-spoofing": N_(
        "The message carries an institution's name in 【】 but came from a personal, virtual or foreign number; "
        "banks and licensed lenders text from their own registered numbers."
    ),
    "fake-authority": N_(
        "Police, procurators and courts do not collect loans, check your money by transfer, or ask for bail or secrecy by message; "
        "a real case can be checked with the court yourself (12368)."
    ),
    "off-channel": N_(
        "A lender does not move you to a QQ or WeChat group, a video meeting or an app from a link: "
        "that is how scammers take over your phone screen and accounts."
    ),
    "ledger-disagrees": N_("Your own records do not show this debt as the message describes it: check before paying anything."),
    "harm-to-others": N_(
        "Threatening to expose you to, visit or harass your family, children's school, employer or contacts is a crime "
        "(Criminal Law art. 293-1) that no lawful collector commits: keep the message and report it to 110."
    ),
    "payment-link": N_(
        "A link to pay, sign a contract, log in or 'restore' an account is how fake payment pages take money and passwords; "
        "open the lender's official app yourself instead, and never type a code or password into a page from a message."
    ),
}

# (step, detail) pairs, translated at use; the keys name them for the faces and the tests.
ADVICE: dict[str, tuple[str, str]] = {
    "verify": (
        N_("Verify with the lender through its official customer-service number"),
        N_(
            "Find the number yourself in the lender's app, on its official website or on the back of your card, never in this message; "
            "banks text from their own numbers (ICBC only from 95588, CCB from 95533 or 106980095533)."
        ),
    ),
    "ask-contract": (
        N_("Ask for the contract number, loan date and amount"),
        N_(
            "A real lender can tell you; compare them with your own records and your credit report "
            "(two free reports a year at ipcrs.pbccrc.org.cn)."
        ),
    ),
    "pay-official": (
        N_("Pay nobody but the lender's official channel"),
        N_(
            "Repay in the lender's own app or to the account in your loan contract, never to a personal, 'safe' or 'designated' account, "
            "and never pay a fee to unfreeze or release a loan."
        ),
    ),
    "no-secrets": (
        N_("Never share codes or card numbers"),
        N_(
            "Verification codes, passwords, card numbers, CVV and ID numbers are for you alone: "
            "no bank, lender or police officer asks for them, and do not share your screen."
        ),
    ),
    "not-liable": (
        N_("You are not liable for a friend's debt unless you guaranteed it"),
        N_(
            "Only a guarantor (保证人) answers for another person's loan (Civil Code art. 681); "
            "you need not pay, pass on messages or give out their details."
        ),
    ),
    "dispute": (
        N_("Correct credit records only through the official dispute"),
        N_(
            "File a dispute (异议) free of charge with the PBOC Credit Reference Center (ipcrs.pbccrc.org.cn, 400-810-8866) or with the lender; "
            "a written answer is due within 20 days. Accurate negative records are deleted 5 years after the overdue behaviour ends, never earlier for a fee."
        ),
    ),
    "no-links": (
        N_("Do not open the link"),
        N_("This program never opens links; type the lender's official address yourself or use its app."),
    ),
    "keep-evidence": (
        N_("Keep screenshots"),
        N_(
            "Save the message, the sender's number, the time it arrived and any call logs: "
            "they are your evidence for a complaint or a police report."
        ),
    ),
    "report-12321": (
        N_("Report fraud and spam messages to 12321"),
        N_(
            "12321 takes reports of spam and fraud messages, calls and bad apps: "
            "text the sender's number, an asterisk and the message (号码*内容) to 12321."
        ),
    ),
    "report-12378": (
        N_("Complain about a bank or lender to 12378"),
        N_(
            "12378 is the NFRA consumer hotline for complaints about banks, insurers and consumer-finance companies, "
            "their debt collectors included."
        ),
    ),
    "report-110": (
        N_("Call 110 for threats or fraud"),
        N_(
            "Report threats, harassment or money already lost to the police; "
            "collecting illegal debts by violence, threats or harassment is a crime (Criminal Law art. 293-1)."
        ),
    ),
    "answer-96110": (
        N_("Answer calls from 96110"),
        N_(
            "96110 is the police anti-fraud warning line: if it calls you, pick up, it may be warning you about a scam in progress."
        ),
    ),
    "anti-fraud-notice": (
        N_("This reads as a genuine anti-fraud notice"),
        N_(
            "It warns against the scams it names rather than asking you for anything: nothing to pay or reply. "
            "Keep its advice; if in doubt, check with the institution through the number in its app or on your card."
        ),
    ),
    "pay-in-app": (
        N_("If you owe it, pay only in the lender's official app"),
        N_(
            "Open the lender's app or online banking yourself (not from a link) and check the amount there; "
            "pay there or to the account in your contract, never to a person."
        ),
    ),
    "ask-plan": (
        N_("Short of money? Ask the lender for a repayment plan"),
        N_(
            "Call the lender's official customer service and ask for an instalment or deferral plan (协商还款) yourself: "
            "it is free, and no agent can get a better one for a fee."
        ),
    ),
    "collection-rules": (
        N_("What a collector must not do"),
        N_(
            "Collectors may contact only you (and a guarantor), may not threaten, insult or expose you to your family, "
            "contacts or employer, and should not call between 22:00 and 08:00; keep records of every call and message."
        ),
    ),
}

# Advice for a flagged message, in order; flag-specific steps are slotted in where they apply.
_FLAGGED_ADVICE = (
    ("verify", None),
    ("ask-contract", None),
    ("pay-official", None),
    ("no-secrets", None),
    ("not-liable", "third-party-contact"),
    ("dispute", "erase-credit-record"),
    ("ask-plan", "settlement-agent"),
    ("no-links", "link"),
    ("no-links", "payment-link"),
    ("keep-evidence", None),
    ("report-12321", None),
    ("report-12378", None),
    ("report-110", "threat"),
    ("report-110", "harm-to-others"),
    ("report-110", "fake-authority"),
    ("report-110", "pay-third-party"),
    ("answer-96110", None),
)
# a lender's own notice, as it seems: how to pay safely, what to ask, what the collector may not do
_LENDER_ADVICE = ("verify", "pay-in-app", "ask-plan", "collection-rules", "report-12378")
_NOTICE_ADVICE = ("anti-fraud-notice",)
_CLEAN_ADVICE = ("verify",)
MAX_EVIDENCE = 3  # quotes shown per flag


# -- results ----------------------------------------------------------------------
@dataclass(frozen=True)
class Flag:
    """One red flag and what triggered it.

    ``spans`` are (start, end) offsets into the original text, one per text hit, so
    ``text[start:end] == text_evidence[i]``. ``evidence`` is what to show: the sender first when
    the sender itself triggered the flag (only non-official-sender), then the text hits.
    """

    code: str
    evidence: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    message: str
    sender: str | None = None  # the sender as given, when it triggered the flag

    @property
    def weight(self) -> int:
        return WEIGHTS[self.code]

    @property
    def title(self) -> str:
        return _(TITLES[self.code])

    @property
    def text_evidence(self) -> tuple[str, ...]:
        """The evidence found in the text, paired one to one with ``spans``."""
        return self.evidence[len(self.evidence) - len(self.spans) :]


@dataclass(frozen=True)
class Advice:
    step: str
    detail: str


@dataclass(frozen=True)
class LedgerLoan:
    """What the triage may know of one of the user's loans (from the ledger; the triage itself reads no database)."""

    id: int
    name: str
    lender: str
    currency: str
    overdue: int  # minor units overdue today
    days_overdue: int
    next_due: int  # the next installment's amount, minor units
    outstanding: int


@dataclass(frozen=True)
class Witness:
    """What the user's own ledger says about the debt a message speaks of."""

    named: tuple[str, ...]  # lenders the message names
    loan_ids: tuple[int, ...]  # the user's loans it matches (by lender or amount)
    overdue: bool | None  # whether a matched loan is overdue; None when nothing matched
    note: str

    def as_dict(self) -> dict:
        return {"named": list(self.named), "loan_ids": list(self.loan_ids), "overdue": self.overdue, "note": self.note}


@dataclass(frozen=True)
class Triage:
    verdict: str
    score: int
    flags: tuple[Flag, ...]
    advice: tuple[Advice, ...]
    notice: str | None = None  # "anti-fraud" (a warning), "lender" (a lender's own notice, as it seems) or None
    ledger: Witness | None = None
    signs: tuple[str, ...] = ()  # signs of a genuine notice found (keys of LEGITIMACY)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.flags)

    def flag(self, code: str) -> Flag | None:
        return next((flag for flag in self.flags if flag.code == code), None)

    def as_dict(self) -> dict:
        """The JSON shape: verdict, score, notice, flags (code, title, evidence, message), advice (step, detail), ledger."""
        data = {
            "verdict": self.verdict,
            "score": self.score,
            "notice": self.notice,
            "flags": [{"code": f.code, "title": f.title, "evidence": list(f.evidence), "message": f.message} for f in self.flags],
            "advice": [{"step": a.step, "detail": a.detail} for a in self.advice],
        }
        if self.ledger is not None:
            data["ledger"] = self.ledger.as_dict()
        return data


# -- normalisation -------------------------------------------------------------------
_ZERO_WIDTH = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
# Symbols used to split a word without changing how it reads: "zheng*信", "征-xin", "征·信"
_SPLITTERS = frozenset("*·•‧∙・_~|^-=#`'\"")


def _is_cjk(ch: str | None) -> bool:
    if ch is None:
        return False
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def _is_ascii_alnum(ch: str | None) -> bool:
    return ch is not None and ch.isascii() and ch.isalnum()


def _is_filler(ch: str) -> bool:
    return ch in _ZERO_WIDTH or ch.isspace() or unicodedata.category(ch)[0] in "PSZC"


@dataclass(frozen=True)
class Normalised:
    """The text patterns run on, and for each of its characters the index of the original character it came from."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a match [start, end) in the normalised text back to offsets in the original text."""
        return self.origin[start], self.origin[end - 1] + 1


MAX_GAP = 3  # at most this many spaces or symbols inside a word: 5,000 spaces do not join two words


def simplified(text: str) -> str:
    """Traditional Chinese as Simplified (OpenCC t2s), character for character, so offsets still match the original."""
    converter = _opencc()
    whole = converter.convert(text)
    if len(whole) == len(text):
        return whole
    return "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in text)  # a phrase changed length


@cache
def _opencc():
    import opencc  # a compiled dictionary: loaded once, when a message is first checked

    return opencc.OpenCC("t2s")


def _kept(run: list[tuple[str, int]], before: str | None, after: str | None) -> list[tuple[str, int]]:
    """What survives of a run of spaces, punctuation and symbols between ``before`` and ``after``."""
    chars = [c for c, _ in run]
    if len(chars) > MAX_GAP:
        return [(" ", run[0][1])]  # a long gap separates words, whatever it is made of
    if _is_cjk(before) and _is_cjk(after):
        return []  # "征 信 修 复", "征*信", "逾期。记录" read as one word
    if (_is_cjk(before) and _is_ascii_alnum(after)) or (_is_ascii_alnum(before) and _is_cjk(after)):
        if all(c.isspace() or c in _SPLITTERS for c in chars):
            return []  # "zheng 信", "加 V"
    if before is not None and after is not None and before.isdigit() and after.isdigit():
        if all(c.isspace() for c in chars):
            return []  # "138 0013 8000", "6222 0212 3456 7890"
    kept: list[tuple[str, int]] = []
    for c, i in run:
        if c.isspace():
            if not kept or kept[-1][0] != " ":
                kept.append((" ", i))
        else:
            kept.append((c, i))
    return kept


def normalise(text: str) -> Normalised:
    """Traditional to Simplified, NFKC (full-width letters, digits and punctuation), lower case, zero-width
    characters dropped, short runs of filler between CJK characters and between spaced-out digits removed,
    other whitespace collapsed, and disguised links written plainly ("www点x点top", "hxxp", "x 。com")."""
    chars = [(c, i) for i, ch in enumerate(simplified(text)) for c in unicodedata.normalize("NFKC", ch).lower()]
    chars = [(c, i) for c, i in chars if c not in _ZERO_WIDTH]
    out: list[tuple[str, int]] = []
    k = 0
    while k < len(chars):
        if not _is_filler(chars[k][0]):
            out.append(chars[k])
            k += 1
            continue
        j = k
        while j < len(chars) and _is_filler(chars[j][0]):
            j += 1
        before = out[-1][0] if out else None
        after = chars[j][0] if j < len(chars) else None
        out.extend(_kept(chars[k:j], before, after))
        k = j
    return Normalised(*_plain_links(out))


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


# -- patterns ---------------------------------------------------------------------
# Written against the normalised text: lower case, ASCII punctuation (NFKC), no filler inside Chinese words.
_ZX = r"(?:征|徵|zheng)(?:信|xin)"
_YOU = r"(?:你|您)"
_ACCOUNT = r"(?:账户|帐户|账号|帐号|银行卡|卡号|卡|支付宝|微信)"
_SECRET_ZH = (
    r"(?:验证码|校验码|动态码|动态密码|短信码|确认码|授权码|支付密码|取款密码|交易密码|登录密码|密码"
    r"|身份证(?:号码?|照片|正反面)?|银行卡(?:号码?|照片|正反面|信息|密码)|信用卡号|卡号|cvv2?|cvn2?|安全码"
    r"|卡背面?(?:后?三位)?(?:数字)?|有效期|网银(?:账号|密码)?|u盾)"
)
_ASK_ZH = r"(?:提供|告知|告诉|发送|发给|发我|回复|报给|报一下|报出|报上|说出|念出|念一下|读出|输入|填写|填入|上传|提交|转发|拍照发|索要|给我)"
_US = r"(?:我们|我|客服|专员|工作人员|本人|对方|本行|银行|经理)"
_RELATIVE_ZH = (
    r"(?:朋友|好友|亲友|亲属|亲戚|家人|同事|同学|室友|老乡|儿子|女儿|丈夫|妻子|老公|老婆|父亲|母亲|爸爸|妈妈|弟弟|哥哥|姐姐|妹妹)"
)
_CIRCLE_ZH = r"(?:通讯录|联系人|亲友|亲人|家人|父母|家属|朋友|同事|领导|单位|公司|老板|学校|老师|辅导员|邻居|紧急联系人|全家)"
_NUM_ZH = r"(?:\d{1,3}|[一二两三四五六七八九十半]{1,3})"
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
_RELATIVE_EN = r"(?:friend|relative|colleague|co-?worker|family member|brother|sister|son|daughter|husband|wife|father|mother|cousin|classmate|roommate)"

_PATTERNS: dict[str, tuple[str, ...]] = {
    "pay-third-party": (
        r"(?:转账|转款|转入|转到|转至|汇入|汇到|汇至|汇款|打款|打到|打入|存入|付款|支付|还款|还到|充值|缴纳)(?:到|至|进|入|给)?.{0,8}?"
        r"(?:个人|私人|对私|指定|安全|专用|监管|核查|验资|财务|专员|以下|下列|下方|如下|这个|此)的?(?:收款)?(?:银行)?" + _ACCOUNT,
        r"(?:到|至|进|入)(?:以下|下列|下方|如下|指定|个人|私人|安全)的?(?:收款)?(?:银行)?" + _ACCOUNT,
        r"(?:国家)?安全(?:账户|帐户)|(?:监管|核查|验资|清查|专员|对私)(?:账户|帐户)|私人(?:账户|帐户|账号|银行卡)"
        r"|指定的?(?:收款)?(?:账户|帐户|账号|帐号|银行卡)|(?:财务|专员|经理|客服|业务员)的?个人" + _ACCOUNT,
        # payment instructions: a payee's name next to an account label, or a full account number (alerts mask it: 尾号1234)
        r"(?<!对方)户名:?[\u4e00-\u9fff]{2,4}?(?:账号|帐号|卡号)",
        r"(?:账号|帐号|卡号|账户|帐户)(?:为|是)?:?\d{12,19}(?!\d)",
        r"缴纳.{0,6}?解冻(?:费|金)?|解冻(?:费|金)|(?:激活|验资|认证|刷流水|放款|审核|包装|通道|开卡)费|保证金|验资|刷流水|放款前.{0,8}?(?:缴纳|支付|交|转)",
        r"代(?:为|其|他|她)(?:还款|偿还|还清|垫付|支付|缴纳)|替(?:他|她|其)(?:还款|还钱|偿还|垫付|还)|帮(?:他|她|其)(?:还款|还钱|偿还|垫付|还清)",
        r"(?:微信|支付宝)(?:转账|转给|付款给|打款)|转账给(?:个人|他|她|我|专员|客服|财务|经理|业务员)|扫(?:描)?(?:下方|以下|此)?二维码(?:付款|支付|转账|还款|缴费)",
        r"\b(?:transfer|send|pay|deposit|wire|remit|move)\b(?: [\w$¥,.'’-]+){0,4}? (?:to|into) "
        r"(?:(?:my|the following|this|our (?:agent|officer|staff)['’]?s?)(?: (?:personal|private|bank|new))*"
        r"|(?:an?|the|my|this) (?:new )?(?:personal|private|safe|secure|designated|temporary|holding)(?: bank)?) (?:account|card|wallet)\b",
        r"\baccount (?:no\.?|number|#) ?:? ?\d{12,19}(?!\d)",
        r"\b(?:safe|secure|safety|designated|holding) (?:bank )?account\b|\baccount name ?:",
        r"\b(?:gift ?cards?|itunes cards?|google play cards?|steam cards?|bitcoin|btc|usdt|crypto(?:currency)? wallet|western union|moneygram)\b",
        r"\b(?:unfreez(?:e|ing)|unlock(?:ing)?|release|activation|processing|verification|upfront|advance) fees?\b",
        r"\b(?:pay|settle|repay|clear)\b(?: \w+){0,3}? (?:on (?:his|her|their) behalf|for (?:him|her|them|your (?:friend|relative|colleague)))\b",
        r"\b(?:pay|settle|repay|clear) (?:off )?(?:his|her|their|your (?:friend|relative|colleague)['’]s) (?:debt|loan|balance|arrears|dues)\b",
    ),
    "link": (
        r"(?<![a-z0-9])(?:https?|hxxps?|ftp)://" + _URL_CHAR + "+",
        r"(?<![a-z0-9.-])www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+" + _URL_TAIL,
        r"(?<![a-z0-9@._-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?[.。])+(?:"
        + _TLDS
        + r")(?![a-z0-9-])(?::\d{2,5})?"
        + _URL_TAIL,
        r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{2,5})?" + _URL_TAIL,
    ),
    "erase-credit-record": (
        _ZX + r"(?:修复|洗白|优化|清理|清洗|消除|铲单|删除|美化|漂白|修改)",
        r"(?:修复|洗白|优化|清理|清洗|铲除|删除|消除|修改|美化|漂白)" + _YOU + r"?的?(?:个人)?" + _ZX,
        r"信用(?:记录)?(?:修复|洗白)|(?:修复|洗白)(?:你|您)?的?信用",
        r"逾期(?:记录|信息|数据)?(?:可以?|能|都能|均可|一键|快速|永久|帮你|帮您|包)?(?:消除|删除|清除|洗白|撤销|抹掉|抹去|清零|修复|铲除|去除)",
        r"(?:消除|删除|清除|撤销|抹掉|去除|铲除)" + _YOU + r"?的?(?:逾期|不良|黑名单|呆账|失信)(?:记录|信息)?",
        r"(?:不良|黑)(?:记录|名单)(?:可以?|能|一键|快速|永久)?(?:消除|删除|清除|洗白|撤销|修复)",
        r"帮" + _YOU + r"(?:把)?(?:征信|逾期|不良记录|记录)?(?:洗白|修复|消除|删除)",
        r"(?:注销|关闭|清空|取消)" + _YOU + r"?的?(?:校园贷|学生贷|校园账户|学生账户|大学生(?:贷款)?(?:账户|账号))",
        r"(?:校园贷|学生贷)(?:账户|账号|记录)?.{0,20}?(?:注销|关闭|清空)",
        r"注销.{0,30}?(?<!不)(?:影响|上报|污点|受损|降低|拉低)" + _YOU + r"?的?(?:个人)?(?:征信|信用)",
        r"\bcredit repair\b|\b(?:repair|fix|clean up|wipe|whiten) (?:your |bad )?credit\b",
        r"\b(?:remove|delete|erase|wipe|clean|clear)(?: out| up)?(?: all)? (?:your |the |any )?(?:late payments?|overdue (?:records?|history|payments?)"
        r"|negative (?:records?|marks?|items?|entries)|bad (?:records?|credit)|defaults?|credit (?:records?|history)|blacklist(?:ing)?)",
        r"\b(?:campus|student|college|university) loans?\b.{0,20}?\baccounts?\b.{0,25}?\b(?:cancell?ed|closed|cancel|close)\b",
        r"\b(?:cancel|close) (?:your )?(?:campus|student|college|university) loan accounts?\b",
        r"\b(?:must|needs? to|has to) be (?:closed|cancell?ed)\b.{0,40}?\bcredit (?:record|score|report|history)\b",
    ),
    "asks-secrets": (
        _ASK_ZH + r"(?:给?" + _US + r")?(?:一下)?" + _YOU + r"?的?(?:手机上?)?(?:收到的)?.{0,4}?" + _SECRET_ZH,
        _SECRET_ZH + r"[^勿不别]{0,6}?(?:发给|发送给|发到|告诉|告知|报给|回复给?|提供给|转发给|转告)" + _US,
        r"(?:将|把)" + _YOU + r"?(?:手机)?收到的.{0,6}?" + _SECRET_ZH,
        r"(?:将|把)" + _YOU + r"?(?:手机)?上?收到的.{0,8}?(?:告诉|告知|发给|发送给|报给|念给|读给|转发给|回复给?)" + _US,
        r"屏幕共享|共享屏幕|开启共享",
        r"\b(?:send|tell|give|provide|reply with|reply|share|forward|read out|read|confirm|enter|submit|upload|text|ask (?:you )?for)\b(?: [\w'’-]+){0,4}? "
        r"(?:(?:verification|one-time|otp|security|sms|confirmation|authentication|\d-digit) (?:pass)?code|otp|passcode|password|pin"
        r"|card (?:number|details)|cvv|cvc|id (?:card )?number|identity card|bank details|login details)\b",
        r"\bscreen[- ]?shar(?:e|ing)\b|\bshare (?:your|the) screen\b",
    ),
    "threat": (
        r"(?:通知|告知|联系|发给|发送给|曝光给|群发给?|打给|打电话给|告诉|爆)" + _YOU + r"?的?(?:所有|全部)?的?" + _CIRCLE_ZH,
        r"(?:全网|公开)曝光|曝光" + _YOU + r"|挂网|爆通讯录|发(?:到|至)?" + _YOU + r"?的?朋友圈",
        r"上门(?:催收|拜访|走访|找你|找您|处理|核实)?|(?:到|去)" + _YOU + r"(?:家|单位|公司|学校)",
        r"拘留|逮捕|抓捕|抓(?:你|您|人)|坐牢|蹲监狱|通缉|警察(?:上门|会来)",
        r"弄死|打死|砍死|废了|打断" + _YOU + r"?的?腿|见血|让" + _YOU + r"好看|后果自负|小心" + _YOU + r"的?(?:家人|孩子|安全)"
        r"|人身安全|知道" + _YOU + r"(?:住|家)|找人(?:收拾|教训)|教训" + _YOU + r"|你等着",
        r"\b(?:contact|inform|notify|tell|call|message|text|email|visit|expose (?:you|this|it) to|send (?:it|this|them) to) (?:all )?(?:of )?your "
        r"(?:family|relatives|friends|contacts|employer|boss|manager|colleagues|co-?workers|workplace|company|neighbou?rs|school|parents|hr)\b",
        r"\bwe know where you (?:live|work)\b|\b(?:visit|come to|show up at) your (?:home|house|office|workplace|door)\b",
        r"\b(?:arrest(?:ed)?|jail(?:ed)?|prison|detain(?:ed)?)\b|\bpolice will (?:come|visit)\b",
        r"\b(?:hurt|harm|beat) you\b|\byou will regret\b|\bexpose you\b|\bshame you\b|\b(?:post|publish|share) your (?:photos?|pictures?|id|details)\b",
    ),
    "legal-pressure": (
        r"起诉|诉讼|法院|律师函|律师(?:事务所|团队)|律所|立案|刑事|犯罪|涉嫌|恶意透支|诈骗罪|传票|强制执行|司法(?:程序|部门|途径|处理)"
        r"|法务(?:部|中心)|失信(?:被执行人|人员|名单)|仲裁|移交(?:司法|法务|公安|检察|法院|律师)|法律(?:责任|程序|途径|手段|后果)"
        r"|追究.{0,4}?责任|(?:冻结|查封|扣押)(?:了)?" + _YOU + r"?的?(?:名下)?(?:所有)?(?:资产|财产|房产|银行卡|账户|工资)",
        r"\blaw ?suits?\b|\bsue(?:d)? you\b|\blegal (?:action|proceedings?|steps|measures|department|filing)\b|\bcourts?\b|\bsummons\b"
        r"|\blawyer(?:['’]s)?(?: letter)?\b|\battorneys?\b|\blaw firm\b|\bcriminal(?:ly)?\b|\bprosecut\w*|\bwarrant\b|\blitigation\b|\barbitration\b",
    ),
    "urgency": (
        # "请在10分钟内输入" (a one-time code) and "请在2小时内完成确认" (a bank's own confirmation) are not pressure
        r"(?:请|务必|须|必须|需|需要|限)(?:在|于)?"
        + _NUM_ZH
        + r"个?(?:小时|钟头|分钟)之?内(?!输入|有效|使用|填写|完成(?:验证|认证|确认))",
        _NUM_ZH
        + r"个?(?:小时|钟头|分钟)之?内(?:未|没有?|不)?(?:处理|还款|还清|结清|联系|回复|回电|缴|转账|付款|支付|完成(?!验证|认证|确认)|办理|注销|解决|否则)",
        r"今[天日晚](?:之内|内|\d{1,2}(?::\d{2})?点?(?:\d{1,2}分)?(?:之|以)?前|[上下中]午(?:\d{1,2}点)?(?:之|以)?前|晚上?(?:\d{1,2}点)?(?:之|以)?前|下班前)",
        r"当天(?:之?内|\d{1,2}点前)|(?:最后|最终)(?:一次)?(?:通知|警告|通牒|期限|机会|催告)|过时不候|限时处理|倒计时|(?:立即|马上|立刻)处理|紧急通知",
        r"\bwithin (?:the next )?(?:\d{1,3}|one|two|three|four|five|six|twelve|twenty[- ]four|forty[- ]eight|a few|an?) (?:hours?|hrs?|minutes?|mins?)\b",
        r"\b(?:final|last) (?:notice|warning|demand|reminder|chance)\b",
        r"\b(?:by|before) (?:\d{1,2}(?::\d{2})? ?(?:am|pm)? )?(?:today|tonight|end of (?:the )?day)\b|\btoday (?:before|by) \d{1,2}(?::\d{2})?(?: ?[ap]m)?",
        r"\b(?:act|pay|respond|call) (?:now|immediately)\b|\bimmediate(?:ly)? (?:payment|action|response)\b|\burgent\b"
        r"|\bexpires? (?:today|tonight|in \d+ (?:hours?|minutes?))\b",
    ),
    "non-official-sender": (
        r"(?<![\d+])(?:(?:\+|00)?86-?)?1[3-9]\d-?\d{4}-?\d{4}(?!\d)",
        r"(?:加|添加|联系|私聊|咨询)(?:我|专员|客服|老师|经理|主管|顾问|律师|财务)?的?(?:企业)?(?:微信|威信|薇信|v信|vx|wx|qq|扣扣)",
        r"(?:微信|威信|薇信|v信|(?<![a-z0-9])(?:vx|wx|qq))(?:号)?:?[a-z0-9_-]{5,}",
        r"加(?:v信|vx|wx|v|q|微)(?![a-z])(?::?[a-z0-9_-]{5,})?",
        r"\+(?!86)\d{8,15}(?!\d)",
        r"\b(?:whatsapp|telegram|wechat|viber)\b",
    ),
    "third-party-contact": (
        r"(?:将|把)?"
        + _YOU
        + r"(?:设为|设置为|列为|填写为|填为|留为|作为|添加为|是)(?:了)?(?:他|她|其|[\u4e00-\u9fff]{2,4}?的)?的?(?:紧急)?联系人",
        _YOU
        + r"的?"
        + _RELATIVE_ZH
        + r"(?:(?![你您我])[\u4e00-\u9fff·]){0,3}?(?:在|于)?(?:我司|我平台|本平台|我行|平台)?(?:的|有)?"
        r"(?:借款|贷款|欠款|欠费|借了|逾期|拖欠|未还|网贷)",
        r"(?:他|她)(?:的|在)(?:我司|我平台|平台)?的?(?:借款|贷款|欠款)",
        r"代(?:为|其|他|她)(?:还款|偿还|还清|处理|转告|通知|督促)|(?:转告|督促|通知)(?:他|她|其)(?:尽快|立即|马上)?(?:还款|处理|还清)",
        r"\byour "
        + _RELATIVE_EN
        + r"s?\b(?: [a-z][\w'’-]*){0,2}? (?:has|have|had|is|was|took|borrowed|owes|listed|named|applied|gave)\b",
        r"\b(?:listed|named|put|gave|added|registered|entered) you as (?:an? |his |her |their |the )?(?:emergency )?(?:contact|reference|guarantor)\b",
        r"\b(?:you are|you're) (?:his|her|their) (?:emergency )?(?:contact|reference)\b|\bon (?:his|her|their) behalf\b"
        r"|\btell (?:him|her|them) to (?:pay|repay|call|contact)\b",
    ),
}
_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple((code, re.compile(p)) for code, ps in _PATTERNS.items() for p in ps)
_NEVER_NEGATED = frozenset({"link"})

# A court case number (案号) such as "(2025)沪0115民初12345号", or "case no. 2025-CV-1234".
_CASE_NUMBER = re.compile(
    r"[(\[〔【]\s?(?:19|20)\d{2}\s?[)\]〕】]\s?[\u4e00-\u9fff]{1,2}\d{0,4}\s?[\u4e00-\u9fff]{1,4}\s?\d{1,7}\s?号"
    r"|\bcase (?:no\.?|number|#|ref(?:erence)?)\s?[:.]?\s?[a-z0-9][a-z0-9/-]{3,}"
)

# A warning such as "工行不会以任何理由要求您转账到安全账户" or "we will never ask for your PIN" is advice, not a red flag.
_NEGATION = re.compile(
    r"不会|不要|请勿|切勿|勿|切莫|千万别|请别|不得|严禁|禁止|谨防|警惕|绝不|从不|决不|所谓|谎称|无法|不能|不存在|不涉及|没有|并非|自称|声称"
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


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


# -- concepts: the lexicon's terms, combined by its rules ------------------------------------
@cache
def lexicon() -> dict:
    """The concepts, rules, official senders, warning words and signs of a genuine notice (scam_lexicon.json)."""
    import json
    from importlib.resources import files

    return json.loads(files("tracker").joinpath("scam_lexicon.json").read_text(encoding="utf-8"))


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One alternation of the terms, longest first; a Latin term only as a whole word."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        body = re.escape(term)
        if term[:1].isascii() and term[:1].isalnum():
            body = r"(?<![a-z0-9])" + body
        if term[-1:].isascii() and term[-1:].isalnum():
            body += r"(?![a-z0-9])"
        parts.append(body)
    return re.compile("|".join(parts))


@cache
def _concept_finders() -> dict[str, tuple[tuple[str, ...], re.Pattern[str] | None]]:
    """Per concept: its plain terms (found with str.find, which is fast) and its regular expressions, if any."""
    out = {}
    for name, c in lexicon()["concepts"].items():
        patterns = c.get("patterns", [])  # written bounded: no nested repeats
        out[name] = (tuple(dict.fromkeys(c["terms"])), re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None)
    return out


def _find_terms(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the terms occur (a Latin term only as a whole word), at most _MAX_MATCHES of each."""
    spans = []
    for term in terms:
        latin_start = term[:1].isascii() and term[:1].isalnum()
        latin_end = term[-1:].isascii() and term[-1:].isalnum()
        pos, n = text.find(term), 0
        while pos >= 0 and n < _MAX_MATCHES:
            end = pos + len(term)
            if not (latin_start and pos > 0 and _is_ascii_alnum(text[pos - 1])) and not (
                latin_end and end < len(text) and _is_ascii_alnum(text[end])
            ):
                spans.append((pos, end))
                n += 1
            pos = text.find(term, pos + 1)
    return spans


@cache
def _warning_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    w = lexicon()["warning_markers"]
    strong = [t for t in w["forward"] if t in _STRONG_FORWARD]
    return _term_pattern(strong), _term_pattern(w["backward"]), _term_pattern(w["notice"])


# forward warning words that cover their whole sentence, not just their clause
_STRONG_FORWARD = frozenset(
    {
        "谨防",
        "警惕",
        "当心",
        "提防",
        "防范",
        "凡是",
        "凡",
        "任何人",
        "任何单位",
        "所谓",
        "谎称",
        "冒充",
        "beware",
        "scammers",
        "fraudsters",
    }
)
_MAX_MATCHES = 200  # per concept: a message repeating a word 2,500 times costs no more than one that says it 200 times


class _LazyPattern:
    """A pattern compiled from the lexicon on first use."""

    def __init__(self, index: int) -> None:
        self.index = index

    def finditer(self, text: str, *args):
        return _warning_words()[self.index].finditer(text, *args)

    def search(self, text: str, *args):
        return _warning_words()[self.index].search(text, *args)


_WARN_FORWARD = _LazyPattern(0)
_WARN_BACKWARD = _LazyPattern(1)
_NOTICE_WORDS = _LazyPattern(2)


def _concept_hits(norm: Normalised) -> dict[str, list[tuple[int, int]]]:
    """Each lexicon rule's hits: one term of each of its concepts within its window, in any order (a message is
    short: its sentences speak of one thing, so a rule may join words across a full stop)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for name, (terms, pattern) in _concept_finders().items():
        spans = _find_terms(norm.text, terms)
        if pattern is not None:
            for m in pattern.finditer(norm.text):
                spans.append((m.start(), m.end()))
                if len(spans) >= 2 * _MAX_MATCHES:
                    break
        found[name] = sorted(spans)[:_MAX_MATCHES]
    hits: dict[str, list[tuple[int, int]]] = {}

    for rule in lexicon()["rules"]:
        names = rule["all"]
        if "context" in rule and not any(found.get(name) for name in rule["context"]):
            continue  # the rule needs one of its contexts somewhere in the message
        first = found.get(names[0], [])
        if len(names) == 1:
            hits.setdefault(rule["flag"], []).extend(first)
            continue
        window = rule["window"]
        second = found.get(names[1], [])
        starts = [b[0] for b in second]
        for a in first:
            lo = bisect.bisect_left(starts, a[0] - window - 40)
            best: tuple[int, int, int] | None = None  # the nearest term of the other concept: (gap, start, end)
            for b in second[lo:]:
                if b[0] > a[1] + window:
                    break
                gap = max(a[0], b[0]) - min(a[1], b[1])
                if gap <= window and (best is None or gap < best[0]):
                    best = (gap, min(a[0], b[0]), max(a[1], b[1]))
            if best is not None:
                hits.setdefault(rule["flag"], []).append(best[1:])
    if found.get("money-talk"):
        hits["_money-talk"] = []  # a marker: the message is about money owed, paid or lent
    return hits


def _merchant_name(quote: str) -> bool:
    """ "AMAZON.COM" in a card alert: a merchant's name in capitals, no scheme, no path; not a link to follow."""
    return quote.isupper() and "/" not in quote and ":" not in quote


def find_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """Every text hit (the precise patterns and the lexicon's rules), by flag code, as merged (start, end) offsets into ``text``."""
    norm = normalise(text)
    found: list[tuple[str, int, int]] = []
    for code, pattern in _COMPILED:
        for m in pattern.finditer(norm.text):
            if m.end() > m.start():
                found.append((code, m.start(), m.end()))
    precise = {(code, a, b) for code, a, b in found}
    concept_hits = _concept_hits(norm)
    money_talk = concept_hits.pop("_money-talk", None) is not None
    for code, spans in concept_hits.items():
        for a, b in spans:
            # a precise pattern's hit is the tighter quote: a rule's hit over it adds nothing
            if not any(c == code and pa < b and a < pb for c, pa, pb in precise):
                found.append((code, a, b))
    hits: dict[str, list[tuple[int, int]]] = {}
    for code, a, b in found:
        start, end = norm.span(a, b)
        if code not in _NEVER_NEGATED and _negated(text, start, end):
            continue
        if code == "link" and _merchant_name(text[start:end]):
            continue
        hits.setdefault(code, []).append((start, end))
    if "legal-pressure" in hits and _CASE_NUMBER.search(norm.text):
        del hits["legal-pressure"]  # a case number can be checked with the court: advice covers that, not a flag
    if "link" in hits and money_talk:
        # a link in a message about a debt, a loan or an account: to pay, sign or log in
        hits.setdefault("payment-link", []).extend(hits.pop("link"))
    return {code: _merge(spans) for code, spans in hits.items()}


# -- the sender ---------------------------------------------------------------------
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


@dataclass(frozen=True)
class Sender:
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
        ("service", r"(?:100\d{2}|12\d{3})\d{0,4}"),
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
    r"我行|本行|我司|本司|本公司|我公司|平台|我们(?:公司|银行|机构)|贵司|客服|专员|工作人员|法务|催收|律所|律师|法院|公安|警方|银行|金融|征信中心"
    r"|您[^，,。！？\n]{0,10}?(?:账户|帐户|借款|贷款|信用卡|账单|额度|欠款|还款|逾期|减免|分期|网贷)"
    r"|你[^，,。！？\n]{0,10}?(?:借款|贷款|账单|额度|欠款|逾期|减免|网贷)"
    r"|\b(?:bank|agency|department|collections?|officer|court|police|credit (?:file|report)"
    r"|your (?:account|loan|card|balance|payment|debt|identity))\b"
)
_DEBT_TALK = re.compile(
    r"逾期|欠款|欠费|拖欠|未还|催收|还款|应还|账单|\b(?:overdue|past due|payment due|owe|debt|balance due|collection)\b"
)


def institutions_named(norm_text: str) -> list[str]:
    """The institutions of the lexicon's sender list that a (normalised) text names."""
    found = []
    for key, inst in lexicon()["official_senders"]["institutions"].items():
        if any(name in norm_text for name in inst["names"]):
            found.append(key)
    return found


def _official_numbers(institution: str) -> list[str]:
    return lexicon()["official_senders"]["institutions"][institution]["numbers"]


def _brand(text: str) -> str | None:
    m = _HEADER.search(unicodedata.normalize("NFKC", simplified(text)))
    return (m.group(1) or m.group(2)).strip().lower() if m else None


# -- the ledger as a witness ----------------------------------------------------------------
_AMOUNT = re.compile(r"(?:[¥￥$]|rmb|cny)?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(?:元|块|rmb|yuan)?")


def _amounts(norm_text: str) -> set[int]:
    """Every amount a text quotes, in minor units (¥3,860.00 and 3860元 alike)."""
    out = set()
    for m in _AMOUNT.finditer(norm_text):
        whole, cents = m.group(1).replace(",", ""), (m.group(2) or "").ljust(2, "0")
        if len(whole) <= 12:
            out.add(int(whole) * 100 + int(cents))
    return out


# words too common in loan names to tell one loan from another
_GENERIC_WORDS = frozenset(
    {"信用卡", "贷款", "借款", "分期", "账单", "房贷", "车贷", "银行", "信用", "额度", "loan", "card", "bank", "credit", "cash"}
)
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z][a-z0-9]{2,}")


def _own_words(loan: LedgerLoan) -> set[str]:
    """The words of a loan's name and lender that could name it in a message ("网贷", "借呗", "lendapp")."""
    return {w for w in _WORD.findall(normalise(f"{loan.lender} {loan.name}").text) if w not in _GENERIC_WORDS}


def witness(text: str, loans: Iterable[LedgerLoan]) -> Witness | None:
    """Compare the lenders and amounts a message names with the user's own loans; None when it names neither."""
    norm = normalise(text).text
    loans = list(loans)
    institutions = lexicon()["official_senders"]["institutions"]
    named_keys = institutions_named(norm)
    named = tuple(dict.fromkeys(next(n for n in institutions[k]["names"] if n in norm) for k in named_keys))
    amounts = _amounts(norm) - {0}
    matched = []
    for loan in loans:
        own = normalise(f"{loan.lender} {loan.name}").text
        by_institution = any(name in own for key in named_keys for name in institutions[key]["names"])
        by_name = any(word in norm for word in _own_words(loan))
        by_amount = bool(amounts & ({loan.overdue, loan.next_due, loan.outstanding} - {0}))
        if by_institution or by_name or by_amount:
            matched.append(loan)
    if not named and not matched:
        return None
    if not matched:
        return Witness(named, (), None, _("You have no loan with {lender} in your records.").format(lender="、".join(named)))
    ids = tuple(loan.id for loan in matched)
    late = [loan for loan in matched if loan.overdue > 0]
    loan = max(late, key=lambda x: x.days_overdue) if late else matched[0]
    if not _DEBT_TALK.search(norm):
        note = _("You have a loan with {lender} ({name}) in your records.").format(lender=loan.lender, name=loan.name)
        return Witness(named, ids, bool(late), note)
    if late:
        from .money import fmt

        note = ngettext(
            "You do have a loan with {lender} ({name}) and it is {days} day overdue ({amount}): this may well be genuine; "
            "pay it in the lender's official app, not through anything in this message.",
            "You do have a loan with {lender} ({name}) and it is {days} days overdue ({amount}): this may well be genuine; "
            "pay it in the lender's official app, not through anything in this message.",
            loan.days_overdue,
        ).format(lender=loan.lender, name=loan.name, days=loan.days_overdue, amount=fmt(loan.overdue, loan.currency, symbol=True))
        return Witness(named, ids, True, note)
    note = _(
        "Your records show your loan with {lender} ({name}) is not overdue: check in the lender's app before paying anything."
    ).format(lender=loan.lender, name=loan.name)
    return Witness(named, ids, False, note)


# -- the verdict ----------------------------------------------------------------------
def score_of(codes: Iterable[str], signs: Iterable[str] = ()) -> int:
    """The weights of the flags (each once), less the signs of a genuine notice when no flag is strong."""
    present, signs = set(codes), set(signs)
    score = sum(WEIGHTS[code] for code in present)
    if not present & STRONG:
        score -= sum(LEGITIMACY[sign] for sign in signs)
        if present & {"link", "payment-link"} and "sender-matches" not in signs:
            score = max(score, SUSPICIOUS_AT)  # a link stays suspicious unless the institution's own number sent it
    return max(0, min(MAX_SCORE, score))


def verdict_of(score: int) -> str:
    if score >= LIKELY_SCAM_AT:
        return LIKELY_SCAM
    if score >= SUSPICIOUS_AT:
        return SUSPICIOUS
    return NO_RED_FLAGS


def advice_for(codes: Iterable[str], verdict: str, notice: str | None = None) -> tuple[Advice, ...]:
    present = set(codes)
    if verdict == NO_RED_FLAGS:
        keys = list({"anti-fraud": _NOTICE_ADVICE, "lender": _LENDER_ADVICE}.get(notice or "", _CLEAN_ADVICE))
    else:
        keys = []
        for key, needs in _FLAGGED_ADVICE:
            if (needs is None or needs in present) and key not in keys:
                keys.append(key)
    return tuple(Advice(_(ADVICE[key][0]), _(ADVICE[key][1])) for key in keys)


@cache
def _legitimacy(key: str) -> re.Pattern[str]:
    return _term_pattern(lexicon()["legitimacy"][key])


def _signs(norm_text: str, text: str, origin: Sender | None, brand_institutions: list[str]) -> list[str]:
    signs = []
    for key in ("official-channel", "reference"):
        if _legitimacy(key).search(norm_text):
            signs.append(key)
    if _NOTICE_WORDS.search(norm_text) and (
        _NEGATION.search(text_lower := simplified(text).lower()) or _WARN_BACKWARD.search(text_lower)
    ):
        signs.append("anti-fraud-notice")  # it speaks of scams and warns: the form of an anti-fraud notice
    if origin is not None and brand_institutions:
        if any(origin.number.startswith(n) for key in brand_institutions for n in _official_numbers(key)):
            signs.append("sender-matches")
    return signs


def triage(text: str, sender: str | None = None, ledger: Iterable[LedgerLoan] | None = None) -> Triage:
    """Red flags in a message (and its sender), a score, a verdict, what to do next and, given the user's
    loans, what their own ledger says about the debt the message speaks of."""
    spans = find_spans(text)
    norm_text = normalise(text).text
    origin = classify_sender(sender)
    brand = _brand(text)
    brand_institutions = institutions_named(brand) if brand else []
    speaks_for_institution = brand is not None or bool(
        _INSTITUTION.search(unicodedata.normalize("NFKC", simplified(text)).lower())
    )
    by_sender: dict[str, str] = {}
    if origin is not None and origin.unusual and speaks_for_institution:
        by_sender["non-official-sender"] = origin.raw  # a friend's own text from a personal phone is not odd
    if brand is not None and origin is not None:
        if origin.kind in SPOOFING_SENDERS:
            by_sender["brand-spoofing"] = origin.raw
        elif origin.kind == "short-code" and brand_institutions:
            official = [n for key in brand_institutions for n in _official_numbers(key)]
            others = [
                n
                for key, inst in lexicon()["official_senders"]["institutions"].items()
                if key not in brand_institutions
                for n in inst["numbers"]
            ]
            if not any(origin.number.startswith(n) for n in official) and any(origin.number == n for n in others):
                by_sender["brand-spoofing"] = origin.raw  # another bank's number
    signs = _signs(norm_text, text, origin, brand_institutions)
    seen = witness(text, ledger) if ledger is not None else None
    codes = set(spans) | set(by_sender)
    if seen is not None:
        if seen.overdue and _DEBT_TALK.search(norm_text):
            signs.append("ledger-overdue")
        elif seen.loan_ids == () and _DEBT_TALK.search(norm_text):
            codes.add("ledger-disagrees")  # a debt with a lender you have no loan with
        elif seen.overdue is False and re.search(r"逾期|overdue|past due", norm_text):
            codes.add("ledger-disagrees")
    flags = []
    for code in sorted(codes, key=_order):
        who = by_sender.get(code)
        where = tuple(spans.get(code, ()))
        quotes = ((who,) if who else ()) + tuple(text[start:end] for start, end in where)
        flags.append(Flag(code, quotes, where, _(MESSAGES[code]), who))
    score = score_of((f.code for f in flags), signs)
    verdict = verdict_of(score)
    notice = None
    if verdict == NO_RED_FLAGS:
        if _NOTICE_WORDS.search(norm_text) and not (set(codes) & STRONG):
            notice = "anti-fraud"
        elif _DEBT_TALK.search(norm_text) and speaks_for_institution:
            notice = "lender"
    return Triage(verdict, score, tuple(flags), advice_for(codes, verdict, notice), notice, seen, tuple(dict.fromkeys(signs)))


def shown_evidence(flag: Flag) -> tuple[str, ...]:
    """A flag's quotes to show a person: each once, at most MAX_EVIDENCE of them."""
    return tuple(dict.fromkeys(flag.evidence))[:MAX_EVIDENCE]


def _order(code: str) -> tuple[int, int]:
    return -WEIGHTS[code], FLAG_CODES.index(code)
