"""The `debt` command line: parse, call the service, render. The only typer import.

Where a command lives:
    app.py          `debt` itself: the global options, errors -> exit codes, the language of a run; `debt tui`
    loans.py        loan add | list | show | edit | rate | payoff | missed | delete | match | unmatch
    repayments.py   repay; repayment list | delete
    cost.py         apr; plan
    health.py       income ...; dti; credit-check ...; audit ...; remind
    maintenance.py  config get | set; check; backup; restore
    cards.py        card ...
    lpr.py          lpr list | add
    exchange.py     export; import; statement import; demo
    messages.py     sms check; contact ...; evidence ...
Shared by the commands: options.py (options used by several), render.py (console, tables, JSON, echo),
views.py (a loan, a card and the overview as printed).
"""

from ..i18n import message_ids

# Typer keeps every help text as given when a command is registered, but the language is a run's choice (--lang,
# the setting, LANG): the help is built in message ids here and translated when a page is shown (app.translate_help).
with message_ids():
    # `debt --help` lists the commands and groups in the order these modules register them
    # isort: off
    from .app import GLOBAL_OPTIONS, TODAY_ENV, DebtGroup, Env, app, choose_language, click_text, hoist_global_options
    from .app import for_command_line, main, main_callback, tui_cmd
    from .options import AutopayAccountOpt, AutopayOpt, BasisOpt, EarlyFeesOpt, JsonOpt, KindHelp, MethodHelp
    from .options import PenaltyOpt, RepriceOpt, SpreadOpt, YesOpt
    from .loans import loan_add, loan_app, loan_delete, loan_edit, loan_list, loan_match, loan_missed, loan_payoff
    from .loans import loan_rate, loan_show, loan_unmatch
    from .repayments import repay, repayment_app, repayment_delete, repayment_list
    from .cost import apr, parse_budget_for_display, plan_cmd
    from .health import (
        audit_add_cmd,
        audit_app,
        audit_done_cmd,
        audit_list,
        audit_reset_cmd,
        audit_skip_cmd,
        audit_undo_cmd,
        check_app,
        check_delete,
        check_edit,
        check_list,
        check_log,
        check_show,
        credit_check_item,
        dti,
        income_add,
        income_app,
        income_delete,
        income_end,
        income_item,
        income_list,
        remind,
    )
    from .maintenance import backup_cmd, check_cmd, config_app, config_get, config_set, restore_cmd
    from .cards import (
        BillDayOpt,
        CardIdArg,
        CardRateOpt,
        DueDayOpt,
        InterestRuleOpt,
        LateFeeOpt,
        LimitOpt,
        MinRateOpt,
        card_add,
        card_app,
        card_bill,
        card_bill_delete,
        card_edit,
        card_instalment_cmd,
        card_show,
    )
    from .lpr import lpr_add, lpr_app, lpr_list
    from .exchange import demo, export, import_, statement_app, statement_import
    from .messages import (
        VERDICT_STYLE,
        RevealOpt,
        contact_app,
        contact_delete,
        contact_edit,
        contact_list,
        contact_log,
        contact_show,
        evidence_add,
        evidence_app,
        evidence_edit,
        evidence_export,
        evidence_list,
        evidence_remove,
        evidence_verify,
        sms_app,
        sms_check,
    )
    # isort: on

__all__ = [
    "AutopayAccountOpt",
    "AutopayOpt",
    "BasisOpt",
    "BillDayOpt",
    "CardIdArg",
    "CardRateOpt",
    "DebtGroup",
    "DueDayOpt",
    "EarlyFeesOpt",
    "Env",
    "GLOBAL_OPTIONS",
    "InterestRuleOpt",
    "JsonOpt",
    "KindHelp",
    "LateFeeOpt",
    "LimitOpt",
    "MethodHelp",
    "MinRateOpt",
    "PenaltyOpt",
    "RepriceOpt",
    "RevealOpt",
    "SpreadOpt",
    "TODAY_ENV",
    "VERDICT_STYLE",
    "YesOpt",
    "app",
    "apr",
    "audit_add_cmd",
    "audit_app",
    "audit_done_cmd",
    "audit_list",
    "audit_reset_cmd",
    "audit_skip_cmd",
    "audit_undo_cmd",
    "backup_cmd",
    "card_add",
    "card_app",
    "card_bill",
    "card_bill_delete",
    "card_edit",
    "card_instalment_cmd",
    "card_show",
    "check_app",
    "check_cmd",
    "check_delete",
    "check_edit",
    "check_list",
    "check_log",
    "check_show",
    "choose_language",
    "click_text",
    "config_app",
    "config_get",
    "config_set",
    "contact_app",
    "contact_delete",
    "contact_edit",
    "contact_list",
    "contact_log",
    "contact_show",
    "credit_check_item",
    "demo",
    "dti",
    "evidence_add",
    "evidence_app",
    "evidence_edit",
    "evidence_export",
    "evidence_list",
    "evidence_remove",
    "evidence_verify",
    "export",
    "for_command_line",
    "hoist_global_options",
    "import_",
    "income_add",
    "income_app",
    "income_delete",
    "income_end",
    "income_item",
    "income_list",
    "loan_add",
    "loan_app",
    "loan_delete",
    "loan_edit",
    "loan_list",
    "loan_match",
    "loan_missed",
    "loan_payoff",
    "loan_rate",
    "loan_show",
    "loan_unmatch",
    "lpr_add",
    "lpr_app",
    "lpr_list",
    "main",
    "main_callback",
    "parse_budget_for_display",
    "plan_cmd",
    "remind",
    "repay",
    "repayment_app",
    "repayment_delete",
    "repayment_list",
    "restore_cmd",
    "sms_app",
    "sms_check",
    "statement_import",
    "statement_app",
    "tui_cmd",
]
