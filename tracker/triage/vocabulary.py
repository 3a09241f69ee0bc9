"""The triage's fixed vocabulary: flag codes and their weights, titles and messages, verdicts, advice."""

from __future__ import annotations

from ..i18n import N_

FLAG_CODES = (
    "pay-third-party",
    "erase-credit-record",
    "asks-secrets",
    "settlement-agent",
    "brand-spoofing",
    "lookalike-link",
    "impersonation",
    "no-check-loan",
    "guaranteed-return",
    "fake-authority",
    "harm-to-others",
    "off-channel",
    "threat",
    "cancel-lure",
    "abuse",
    "borrow-to-repay",
    "third-party-contact",
    "payment-link",
    "legal-pressure",
    "non-official-sender",
    "ledger-disagrees",
    "night-contact",
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
    "lookalike-link": 55,
    "impersonation": 50,
    "no-check-loan": 50,
    "guaranteed-return": 55,
    "fake-authority": 50,
    "harm-to-others": 50,
    "off-channel": 50,
    "threat": 45,
    "cancel-lure": 50,
    "abuse": 45,
    "borrow-to-repay": 45,
    "third-party-contact": 35,
    "payment-link": 30,
    "legal-pressure": 25,
    "non-official-sender": 20,
    "ledger-disagrees": 15,
    "night-contact": 15,
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
    "lookalike-link": N_("A look-alike of the institution's website"),
    "impersonation": N_("A 'new number' asking for money"),
    "no-check-loan": N_("A loan 'without a credit check'"),
    "guaranteed-return": N_("A guaranteed or outsized return"),
    "fake-authority": N_("Police or court demanding money"),
    "threat": N_("Threats"),
    "cancel-lure": N_("Fake customer service: a charge to cancel, a block to lift, money back"),
    "abuse": N_("Insults"),
    "borrow-to-repay": N_("Pushes you to borrow to pay"),
    "harm-to-others": N_("Threatens your family, school or contacts"),
    "off-channel": N_("Moves you to a group, a meeting or remote control"),
    "payment-link": N_("A link to pay, sign or log in"),
    "third-party-contact": N_("Someone else's debt"),
    "legal-pressure": N_("Legal pressure"),
    "non-official-sender": N_("Not an official sender"),
    "ledger-disagrees": N_("Not what your records show"),
    "night-contact": N_("Sent at night"),
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
        "Banks and licensed lenders text from registered service numbers, not from personal, virtual-carrier, foreign or fixed-line "
        "numbers or 400 hotlines, and do not move you to a personal phone, WeChat or QQ (a 106 number proves nothing either way)."
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
    "night-contact": N_(
        "Collectors may not contact you between 22:00 and 08:00 unless you agreed to it (the industry's collection "
        "guideline): keep the message with the time it arrived, and complain to the lender or to 12378."
    ),
    "lookalike-link": N_(
        "The link is dressed as the website of the institution the message names, but it is not the institution's own address: "
        "look-alike addresses are how fake login, payment and refund pages are made. Open the institution's official app yourself."
    ),
    "no-check-loan": N_(
        "Licensed lenders check your credit report before they lend: a loan offered 'without a credit check' (不看征信, "
        "黑户可贷) comes from an illegal lender, whose contracts hide fees and whose collectors break the law."
    ),
    "guaranteed-return": N_(
        "No lawful investment guarantees both your money back and a high return (保本保息, 稳赚不赔, 60% in three months): "
        "that promise is the mark of illegal fund-raising and of the 'investment' scams aimed at people in debt, which take "
        "a deposit to 'lock in a place' and then more. Pay nothing; report it to 110 or the anti-fraud line 96110."
    ),
    "impersonation": N_(
        "Someone who says they have a new number and asks for money or a transfer is the classic impersonation of a friend, "
        "relative or boss (冒充熟人): whoever it claims to be, check on the number you already have before sending anything."
    ),
    "cancel-lure": N_(
        "A 'protection service', membership or insurance that will charge you unless you cancel it, a card 'restricted' until "
        "you call, or a refund or a cancelled flight's compensation, through a number in the message, is how fake customer "
        "service starts: a real charge is cancelled, a real block lifted and a real refund paid in the institution's own app or "
        "at its official number, never through a number, a chat account or a link in a message, and no refund needs you to "
        "borrow first (a '备用金' or 借呗 draw 'returned with the refund' is how the money is taken)."
    ),
    "abuse": N_(
        "Collectors may not insult, curse or humiliate you: the rules on collection forbid abuse (for credit cards, Art. 68 of the "
        "rules on banks' card business). Keep the message as evidence and complain to the lender and to 12378."
    ),
    "borrow-to-repay": N_(
        "A lawful collector does not push you to borrow from other lenders or apps to pay (以贷养贷): new loans to pay old ones "
        "only deepen the debt, and apps found that way are often illegal lenders. Ask your lender for a repayment plan instead."
    ),
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
    "call-back": (
        N_("Call them back on the number you already have"),
        N_(
            "Before sending anything, call the person on their old number or by video, or ask something only they would know; "
            "scammers pose as friends, relatives and bosses who 'changed their number'."
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
    ("call-back", "impersonation"),
    ("verify", None),
    ("ask-contract", None),
    ("pay-official", None),
    ("no-secrets", None),
    ("not-liable", "third-party-contact"),
    ("dispute", "erase-credit-record"),
    ("ask-plan", "settlement-agent"),
    ("ask-plan", "borrow-to-repay"),
    ("no-links", "lookalike-link"),
    ("pay-in-app", "cancel-lure"),
    ("no-links", "link"),
    ("no-links", "payment-link"),
    ("keep-evidence", None),
    ("report-12321", None),
    ("report-12378", None),
    ("report-110", "threat"),
    ("report-110", "harm-to-others"),
    ("report-110", "fake-authority"),
    ("report-110", "pay-third-party"),
    ("report-110", "guaranteed-return"),
    ("answer-96110", None),
)
# a lender's own notice, as it seems: how to pay safely, what to ask, what the collector may not do
_LENDER_ADVICE = ("verify", "pay-in-app", "ask-plan", "collection-rules", "report-12378")
_BILL_ADVICE = ("verify", "pay-in-app")  # a bill or a due date: how to pay it safely
_NOTICE_ADVICE = ("anti-fraud-notice",)
_CLEAN_ADVICE = ("verify",)
MAX_EVIDENCE = 3  # quotes shown per flag
