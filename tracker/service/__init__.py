"""The use cases the faces call: validate input, call the engine, save. The only callers of the store.

One module for each thing a person does; import from the module itself (``from tracker.service.loans import ...``):
    views.py        loans as they stand: a loan's state on a day, every loan's, each with its cost and rate warnings
    loans.py        add (with what was paid before), edit, delete a loan; a failed deduction; what closes it on a day
    repayments.py   record a repayment, the installments paid before a loan was entered; list and delete them
    rates.py        a rate change from a date; the LPR table and its new fixings
    cost.py         what an offer costs (the calculator, the loan form's preview); payoff plans with a budget
    cards.py        credit cards: add, edit, bills, a bill into instalments, a revolving loan made a card
    health.py       incomes, debt-to-income, credit-report checks, the app-permission audit, reminders
    overview.py     the dashboard's picture of the household on one day
    messages.py     the contact timeline: contacts logged, checked messages kept with their verdicts
    evidence.py     evidence files: added, verified, removed, exported for a complaint
    statements.py   statement import (preview, review, record once) and the rules that match rows to loans
    exchange.py     export (JSON, CSV, ledger journal) and import of an export; the sample household
    settings.py     settings: listed, in force, changed
    maintenance.py  check the database, repair damaged records, rebuild the stored state; backup and restore
    database.py     the database file opened for a piece of work, and a failure of the file told in one line
    language.py     the language a database asks for, read before a command runs
"""
