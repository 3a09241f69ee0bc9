"""The cells, labels and sentences both faces show for engine results, decided once (pure: no Rich, no Textual).

By subject: ``loans`` (rate, status, a loan's row and header, totals), ``repayments`` (notes, prepayment
effects, repayment rows), ``cards``, ``statements`` (import and statement summaries), ``dti``, ``plan``,
``messages`` (verdicts, contacts), ``deletions`` (questions before a deletion) and ``text`` (shared helpers).
"""
