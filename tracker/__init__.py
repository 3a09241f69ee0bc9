"""debt-tracker core: a private loan ledger and credit-health toolkit."""

__version__ = "0.1.0"
