"""Who may follow an import job: its starter, and anyone whose region contains the
region the starter worked in (a province's secretariat sees its kab/kota's imports)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from coordination import policies as coordination_policies

ALL = coordination_policies.ALL


def scope_import_jobs(qs: QuerySet, user) -> QuerySet:
    prefix = coordination_policies.scope_code(user)
    if prefix is None:
        return qs.none()
    if prefix == ALL:
        return qs
    return qs.filter(Q(created_by=user) | coordination_policies.code_in_scope_q("scope_code", prefix))
