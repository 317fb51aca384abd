"""Writes of 责任在村落实: the lists (lists.py), the ledger's life (ledger.py), helper counts (helper_counts.py)."""

from .helper_counts import helper_count_differences, rebuild_helper_counts, recount_helpers
from .ledger import (
    add_line,
    approve_reconciliations,
    close_line,
    decide_reopen,
    lock_line,
    mark_spot_checks,
    record_visit,
    request_reopen,
    review_reconciliation,
    submit_reconciliation,
    update_line,
)
from .lists import create_entry, delete_entry, open_year, set_working_year, update_entry, update_rule

__all__ = [
    "add_line",
    "approve_reconciliations",
    "close_line",
    "create_entry",
    "decide_reopen",
    "delete_entry",
    "helper_count_differences",
    "lock_line",
    "mark_spot_checks",
    "open_year",
    "rebuild_helper_counts",
    "record_visit",
    "recount_helpers",
    "request_reopen",
    "review_reconciliation",
    "set_working_year",
    "submit_reconciliation",
    "update_entry",
    "update_line",
    "update_rule",
]
