"""The app's screens, one module each; make_screen() builds a top-level screen by name."""

from __future__ import annotations

from textual.screen import Screen


def make_screen(name: str) -> Screen:
    if name == "loans":
        from .loans import LoansScreen

        return LoansScreen()
    if name == "dti":
        from .dti import DTIScreen

        return DTIScreen()
    if name == "plan":
        from .plan import PlanScreen

        return PlanScreen()
    if name == "credit":
        from .credit import CreditScreen

        return CreditScreen()
    if name == "audit":
        from .audit import AuditScreen

        return AuditScreen()
    if name == "statements":
        from .statements import StatementsScreen

        return StatementsScreen()
    if name == "messages":
        from .messages import MessagesScreen

        return MessagesScreen()
    if name == "help":
        from .help import HelpScreen

        return HelpScreen()
    raise ValueError(name)
