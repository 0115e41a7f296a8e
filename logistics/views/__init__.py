"""The logistics pages, one module per group (escorts, field, board, documents)."""

from .escorts import escort_detail, escort_list

__all__ = ["escort_detail", "escort_list"]
