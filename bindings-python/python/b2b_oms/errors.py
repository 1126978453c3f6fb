"""The exceptions of b2b_oms: one class per error family of the core.

Every error the library raises is a :class:`Error`; its class says which
step of the journey refused the input (``PricingError`` for a ``BELOW_MOQ``,
``TaxError`` for an ``INVALID_GSTIN`` …) and its attributes say exactly
what:

- ``code``: the stable machine-readable code (``"BELOW_MOQ"``);
- ``field``: the path of the offending input field (``"lines[3].quantity"``)
  or ``None``;
- ``details``: the error's own values (limits, quantities, suggestions,
  listed problems) as a dict, decimals as ``decimal.Decimal``;
- ``family``: the family's name (``"pricing"``);
- ``message``: a readable sentence naming the value and the rule.

A value of the wrong Python type (a ``float`` where money or a quantity is
expected, a naive ``datetime``, a ``Decimal`` with more digits than the
core holds) raises :class:`InputTypeError`, which is both an
:class:`InputError` and a built-in ``TypeError``. A defect of the library
(a Rust panic) raises :class:`InternalError`, never ``PanicException``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

__all__ = [
    "Error",
    "InputError",
    "InputTypeError",
    "PricingError",
    "QuoteError",
    "ApprovalError",
    "CreditError",
    "OrderError",
    "AllocationError",
    "TaxError",
    "InvoiceError",
    "InternalError",
    "FAMILIES",
]


class Error(Exception):
    """Root of every error raised by b2b_oms (catch this to catch them all)."""

    code: str
    """The stable machine-readable code (``"BELOW_MOQ"``)."""
    field: Optional[str]
    """Path of the offending input field (``"lines[3].quantity"``), or ``None``."""
    details: Dict[str, Any]
    """The error's own values, keyed by name; decimals as ``Decimal``."""
    family: str
    """The error family (``"pricing"``)."""
    message: str
    """A readable message naming the value and the rule it broke."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "INTERNAL",
        field: Optional[str] = None,
        details: Optional[Dict[str, Any]] = None,
        family: str = "internal",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.details = dict(details) if details else {}
        self.family = family

    def __str__(self) -> str:
        where = f" (field {self.field})" if self.field and self.field not in self.message else ""
        return f"{self.code}: {self.message}{where}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, field={self.field!r}, "
            f"message={self.message!r})"
        )

    def __reduce__(self) -> Any:
        return (
            _rebuild,
            (type(self), self.message, self.code, self.field, self.details, self.family),
        )


def _rebuild(
    cls: type,
    message: str,
    code: str,
    field: Optional[str],
    details: Dict[str, Any],
    family: str,
) -> Error:
    err: Error = cls(message, code=code, field=field, details=details, family=family)
    return err


class InputError(Error):
    """The document itself: malformed, a missing or unknown field, a value
    out of range, a command the value's current state does not allow."""


class InputTypeError(InputError, TypeError):
    """A Python value of the wrong type: a ``float`` where a decimal is
    required (``NUMBER_FOR_DECIMAL``), a ``Decimal`` with more digits than
    the core holds (``EXCESS_PRECISION``), a naive ``datetime``
    (``NAIVE_DATETIME``). Also a ``TypeError``."""


class PricingError(Error):
    """Catalog, units, price books and pricing (``BELOW_MOQ``, ``NO_PRICE`` …)."""


class QuoteError(Error):
    """Quotes: expiry, revisions, seals, acceptance (``QUOTE_EXPIRED`` …)."""


class ApprovalError(Error):
    """Approval policies and instances (``NOT_AUTHORIZED``, ``SELF_APPROVAL`` …)."""


class CreditError(Error):
    """Payment terms and credit (``INVALID_TERMS``)."""


class OrderError(Error):
    """Orders: PO numbers, quantities, amendments (``PO_REQUIRED`` …)."""


class AllocationError(Error):
    """Stock, reservations, warehouse allocation and shipments
    (``INSUFFICIENT_STOCK`` …)."""


class TaxError(Error):
    """GSTIN, HSN, rates and the tax regime (``INVALID_GSTIN`` …)."""


class InvoiceError(Error):
    """Invoices, notes, numbering and e-invoices (``OVER_CREDITED`` …)."""


class InternalError(Error):
    """A defect of the library (a caught panic): never the caller's input.
    Please report it with the input that caused it."""


FAMILIES: Dict[str, type] = {
    "input": InputError,
    "pricing": PricingError,
    "quote": QuoteError,
    "approval": ApprovalError,
    "credit": CreditError,
    "order": OrderError,
    "allocation": AllocationError,
    "tax": TaxError,
    "invoice": InvoiceError,
    "internal": InternalError,
}
"""The exception class of each error family."""
