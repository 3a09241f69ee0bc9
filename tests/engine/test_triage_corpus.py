"""The triage measured on a corpus of 417 messages written from public reports (tests/data/triage_corpus).

Each message has the reason it is a scam or genuine (`why`) and the public report it is modelled
on (`source`). The corpus was written apart from the detector, from anti-fraud notices, police,
court and regulator warnings and news cases (scams), and from banks' and platforms' message forms,
anti-fraud notices and personal messages (genuine). The targets are the issue's: no scam judged
no-red-flags, at least 85% of scams likely-scam, no genuine message likely-scam, at least 80% of
genuine messages no-red-flags.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
from helpers import TESTS
from msgspec.structs import replace

from tracker.triage import LIKELY_SCAM, NO_RED_FLAGS, SUSPICIOUS, LedgerLoan, triage

CORPUS = TESTS / "data" / "triage_corpus"
FIELDS = {"id", "text", "sender", "lang", "kind", "why", "source"}


def load(name: str) -> list[dict]:
    return json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))


SCAMS = load("scams")
GENUINE = load("genuine")


def verdicts(messages: list[dict]) -> Counter:
    return Counter(triage(m["text"], m["sender"]).verdict for m in messages)


def test_the_corpus_is_big_varied_and_sourced():
    assert len(SCAMS) >= 150 and len(GENUINE) >= 150
    every = SCAMS + GENUINE
    assert len({m["id"] for m in every}) == len(every)
    for m in every:
        assert set(m) == FIELDS, m["id"]
        assert m["text"].strip() and m["why"].strip() and m["source"].strip(), m["id"]
    for messages in (SCAMS, GENUINE):
        langs = Counter(m["lang"] for m in messages)
        assert langs["zh-Hant"] >= 25 and langs["en"] >= 30 and langs["zh-Hans"] >= 100


def test_scams_are_caught():
    counts = verdicts(SCAMS)
    missed = [m["id"] for m in SCAMS if triage(m["text"], m["sender"]).verdict == NO_RED_FLAGS]
    assert missed == []  # no scam is called harmless
    assert counts[LIKELY_SCAM] >= 0.85 * len(SCAMS), counts


def test_genuine_messages_are_not_scolded():
    counts = verdicts(GENUINE)
    scolded = [m["id"] for m in GENUINE if triage(m["text"], m["sender"]).verdict == LIKELY_SCAM]
    assert scolded == []  # a genuine notice is never called a likely scam
    assert counts[NO_RED_FLAGS] >= 0.80 * len(GENUINE), counts


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_each_language_meets_the_targets_on_its_own(lang: str):
    scams = [m for m in SCAMS if m["lang"] == lang]
    genuine = [m for m in GENUINE if m["lang"] == lang]
    assert verdicts(scams)[LIKELY_SCAM] >= 0.85 * len(scams)
    assert verdicts(genuine)[NO_RED_FLAGS] >= 0.80 * len(genuine)


def test_genuine_anti_fraud_notices_say_so():
    notices = [m for m in GENUINE if m["kind"] == "antifraud_warning"]
    said = [m["id"] for m in notices if triage(m["text"], m["sender"]).notice == "anti-fraud"]
    assert len(said) >= 0.8 * len(notices)


def test_lender_notices_get_lender_advice_not_the_police():
    notices = [m for m in GENUINE if m["kind"] == "overdue_notice"]
    assert len(notices) >= 30
    for m in notices:
        result = triage(m["text"], m["sender"])
        steps = " ".join(a.step for a in result.advice)
        assert "110" not in steps, m["id"]
    lender = [m for m in notices if triage(m["text"], m["sender"]).notice == "lender"]
    assert len(lender) >= 0.8 * len(notices)


# -- the ledger as a witness ----------------------------------------------------------------
JIEBEI = LedgerLoan(7, "借呗", "蚂蚁借呗", "CNY", overdue=128_640, days_overdue=10, next_due=128_640, outstanding=900_000)
CAR = LedgerLoan(2, "车贷", "招商银行", "CNY", overdue=0, days_overdue=0, next_due=431_250, outstanding=4_166_658)


def test_a_lender_you_have_no_loan_with_is_said_and_counts():
    text = "【平安银行】您的贷款已逾期，请尽快还款，详询客服。"
    alone = triage(text)
    seen = triage(text, None, [JIEBEI, CAR])
    assert alone.ledger is None
    assert seen.ledger is not None and seen.ledger.loan_ids == () and seen.ledger.named == ("平安银行",)
    assert "no loan with 平安银行" in seen.ledger.note
    assert seen.flag("ledger-disagrees") is not None and seen.score > alone.score
    assert (alone.verdict, seen.verdict) == (NO_RED_FLAGS, SUSPICIOUS)


def test_a_real_overdue_loan_makes_a_notice_likely_genuine():
    text = "【支付宝】你的借呗已逾期10天，待还1,286.40元，请在支付宝中还款，逾期将影响征信。"
    result = triage(text, "+8613812345678", [JIEBEI, CAR])  # an odd number, but the ledger knows the debt
    assert result.ledger is not None and result.ledger.loan_ids == (7,) and result.ledger.overdue is True
    assert "10 days overdue" in result.ledger.note and "¥1,286.40" in result.ledger.note
    assert "ledger-overdue" in result.signs
    data = result.as_dict()["ledger"]
    assert data["named"] == ["支付宝"] and data["loan_ids"] == [7] and data["overdue"] is True


def test_a_loan_that_is_not_overdue_is_said_so():
    text = "【招商银行】您的车贷已逾期，请立即还款。"
    result = triage(text, "95555", [JIEBEI, CAR])
    assert result.ledger.loan_ids == (2,) and result.ledger.overdue is False
    assert "not overdue" in result.ledger.note and result.flag("ledger-disagrees") is not None


def test_a_banks_card_notice_is_matched_to_its_card_not_its_car_loan():
    card = LedgerLoan(3, "信用卡分期 Card instalments", "招商银行信用卡 CMB Card", "CNY", overdue=0, days_overdue=0,
                      next_due=214_400, outstanding=800_000, kind="credit-card")  # fmt: skip
    car = replace(CAR, kind="car")
    text = "【招商银行】您尾号1234的信用卡本期账单金额3,000.00元，到期还款日12月5日。"
    result = triage(text, "95555", [JIEBEI, car, card])
    assert result.ledger.loan_ids == (3,) and "信用卡分期" in result.ledger.note and "车贷" not in result.ledger.note
    # the car loan's own notice still finds the car loan
    assert triage("【招商银行】您的车贷本期应还4,312.50元。", "95555", [car, card]).ledger.loan_ids == (2,)


def test_a_banks_card_bill_is_not_its_mortgage_when_no_card_is_entered():
    """All you have with the bank is its mortgage: its card bill is not about that loan, and no sign of a debt you do
    not have either (a card you have not entered): no ledger-disagrees, whose weight would call a real bill suspicious."""
    mortgage = LedgerLoan(1, "房贷 Home mortgage", "工商银行 ICBC", "CNY", overdue=0, days_overdue=0, next_due=473_833,
                          outstanding=105_772_021, kind="mortgage")  # fmt: skip
    result = triage("【工商银行】您尾号1234的信用卡本期账单金额3,000.00元，到期还款日12月5日。", "95588", [mortgage, CAR])
    assert result.ledger.loan_ids == () and result.ledger.overdue is None and result.ledger.other_kind
    assert "no credit card with 工商银行" in result.ledger.note and "房贷 Home mortgage" in result.ledger.note
    assert result.flag("ledger-disagrees") is None and result.verdict == NO_RED_FLAGS
    # the mortgage's own notice, by its kind or its amount, still finds it
    assert triage("【工商银行】您的房贷本期应还4,738.33元。", "95588", [mortgage, CAR]).ledger.loan_ids == (1,)


def test_an_amount_alone_finds_the_loan():
    result = triage("您本期应还4,312.50元，请按时还款。", None, [JIEBEI, CAR])
    assert result.ledger.loan_ids == (2,)


def test_a_real_debt_does_not_make_a_message_with_red_flags_genuine():
    """The ledger confirms an overdue loan, but the message asks for a transfer to a "safe account": the
    verdict warns, and the ledger's note must not call the message genuine (it says to pay nothing through it)."""
    text = "【法务部】您在网贷平台的欠款已严重逾期，今日不处理将起诉，请立即转账至安全账户6222000012345678。"
    lendapp = LedgerLoan(
        4, "网贷", "某借贷平台 LendApp", "CNY", overdue=300_000, days_overdue=12, next_due=300_000, outstanding=900_000
    )
    result = triage(text, "+8617012345678", [lendapp, CAR])
    assert result.verdict != NO_RED_FLAGS and result.ledger is not None and result.ledger.overdue is True
    assert "genuine" not in result.ledger.note and result.ledger.note.startswith("This message shows warning signs")
    assert "12 days overdue" in result.ledger.note


def test_an_amount_is_no_match_for_a_loan_of_another_lender_than_the_one_named():
    """A message from one bank quoting an amount that happens to be another bank's loan's is not about that loan."""
    result = triage("【建设银行】您本期应还4,312.50元，请按时还款。", "95533", [JIEBEI, CAR])
    assert result.ledger is not None and result.ledger.loan_ids == () and result.ledger.named == ("建设银行",)
    assert triage("【招商银行】您本期应还4,312.50元，请按时还款。", "95555", [JIEBEI, CAR]).ledger.loan_ids == (2,)


def test_the_days_overdue_a_message_states_find_the_loan():
    """A collector of the loan knows how long it is overdue: "逾期38天" finds the loan 38 days overdue (a day either
    way: sent yesterday), whatever name the message goes by; the warning signs still stand."""
    lendapp = LedgerLoan(4, "网贷 Quick Cash", "某借贷平台 LendApp", "CNY", overdue=367_196, days_overdue=38,
                         next_due=183_598, outstanding=1_211_052)  # fmt: skip
    text = "【XX贷】您已逾期37天，今日18点前不处理将联系您的通讯录好友及单位，请立即添加微信 hk8891 处理"
    result = triage(text, None, [lendapp, CAR])
    assert result.ledger.loan_ids == (4,) and result.ledger.overdue is True and result.verdict != NO_RED_FLAGS
    assert result.ledger.note.startswith("This message shows warning signs") and "38 days overdue" in result.ledger.note
    assert triage(text.replace("37天", "45天"), None, [lendapp, CAR]).ledger.loan_ids == ()
    # another lender's name: the days alone are no match
    assert triage("【平安银行】您已逾期38天，请尽快还款。", "95511", [lendapp, CAR]).ledger.loan_ids == ()


def test_a_message_about_an_overdue_debt_that_matches_no_loan_still_names_the_one_overdue():
    """A message that names no lender of the user's and matches none of their loans, about an overdue debt: a red-
    flagged verdict must not read as "you owe nothing", so the note names the loan that is overdue, as no match."""
    lendapp = LedgerLoan(4, "网贷 Quick Cash", "某借贷平台 LendApp", "CNY", overdue=367_196, days_overdue=38,
                         next_due=183_598, outstanding=1_211_052)  # fmt: skip
    scam = triage("【某某金融】您的借款已逾期，今日不处理将联系您的通讯录好友", None, [lendapp, CAR])
    assert scam.ledger.loan_ids == () and scam.ledger.overdue is None and scam.flag("ledger-disagrees") is None
    assert scam.ledger.note.startswith("This message shows warning signs") and "网贷 Quick Cash" in scam.ledger.note
    assert "ledger-overdue" not in scam.signs  # no match: no sign that the message is genuine
    plain = triage("您的借款已逾期，请及时还款", None, [lendapp, CAR])
    assert plain.ledger.note.startswith("Your records do show a loan overdue") and "38 days" in plain.ledger.note
    assert triage("您的借款已逾期，请及时还款", None, [CAR]).ledger is None  # nothing overdue: nothing to say


# -- speed and hostile input -------------------------------------------------------------------
ADVERSARIAL = [
    "征" * 5000,
    "征 " * 2500,
    "逾期记录" * 1250,
    "a." * 2500,
    "www点" * 1000,
    "转账到" + "个" * 4997,
    " " * 5000,
    "1" * 5000,
    "http://" + "a" * 4993,
    "验证码" * 1666,
    "【" * 5000,
    "h" + "x" * 4999,
    "你" * 2500 + "账户" * 1250,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_no_input_of_5000_characters_makes_the_triage_crawl(text: str):
    """A guard against catastrophic backtracking, not a timing: bench/triage.py measures the speed."""
    start = time.perf_counter()
    result = triage(text, "13800138000", [JIEBEI, CAR])
    assert time.perf_counter() - start < 2.0
    assert result.verdict in (LIKELY_SCAM, SUSPICIOUS, NO_RED_FLAGS)
