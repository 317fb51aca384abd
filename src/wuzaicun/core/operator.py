"""The server's operator, as the command line acts: every permission, the whole database in scope.

It is not a user row: audit entries name it 系统 (actor None), and it exists only in the process
that runs a management command.
"""

from __future__ import annotations

from typing import Any


class _Operator:
    is_authenticated = True
    is_active = True
    pk = None
    scope_id = ""
    scope_prefix = ""
    role = "system_admin"
    username = "系统"

    def can(self, perm: Any) -> bool:
        return True

    def get_username(self) -> str:
        return self.username


OPERATOR = _Operator()
