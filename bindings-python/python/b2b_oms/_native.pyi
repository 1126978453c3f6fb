"""Type stubs of the native extension ``b2b_oms._native`` (checked by mypy's stubtest)."""

import datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union, final

from b2b_oms.types import (
    ApprovalPlan,
    ApprovalPolicyDefinition,
    ApprovalSubject,
    BatchResult,
    CatalogEntryView,
    ClassificationPolicy as ClassificationPolicyDocument,
    ClassifyOutput,
    Customer,
    FactContext,
    Inquiry,
    LedgerState,
    OrderToPrice,
    PriceBookDefinition,
    PricedOrder,
    PriceRequest,
    Product,
    Reservation,
    ReservationRequest,
    StockSnapshot,
)

__all__ = [
    "call",
    "call_json",
    "operations",
    "codes",
    "families",
    "error_class",
    "_scalar_at",
    "_panic_for_test",
    "Catalog",
    "PriceBook",
    "ClassificationPolicy",
    "ApprovalPolicy",
    "ReservationLedger",
    "CustomerTable",
    "ARROW_COLUMNS",
    "__version__",
]

__version__: str
ARROW_COLUMNS: List[str]

def call(operation: str, document: Union[Dict[str, Any], str]) -> Any:
    """Runs a host operation on its input document; returns its output document."""

def call_json(operation: str, text: str) -> str:
    """Runs a host operation on JSON text; returns compact JSON text."""

def operations() -> List[Dict[str, Any]]:
    """Every host operation: name, summary, families, input and output type names."""

def codes() -> List[Dict[str, str]]:
    """Every error code: code, family, summary."""

def families() -> List[str]:
    """Every error family, in a stable order."""

def error_class(code: str) -> type:
    """The exception class raised for ``code``."""

def _scalar_at(operation: str, side: str, path: List[Union[str, int]]) -> Optional[str]: ...
def _panic_for_test() -> None: ...

@final
class Catalog:
    """A compiled catalog (products, units, constraints), checked once."""

    def __new__(cls, products: Union[Sequence[Product], str]) -> "Catalog": ...
    @staticmethod
    def from_dict(products: Union[Sequence[Product], str]) -> "Catalog":
        """The catalog compiled from its document."""
    def to_dict(self) -> List[Product]:
        """The catalog document: a list of product dicts."""
    def to_json(self) -> str:
        """The catalog document as JSON text."""
    def __len__(self) -> int: ...

@final
class PriceBook:
    """A price book compiled against a catalog; pricing is then cheap and thread-safe."""

    def __new__(cls, catalog: Catalog, definition: Union[PriceBookDefinition, str]) -> "PriceBook": ...
    @property
    def catalog(self) -> Catalog:
        """The catalog the book was compiled against."""
    def price_order(
        self, customer: Union[Customer, str], request: Union[PriceRequest, str]
    ) -> PricedOrder:
        """Prices one order, cart or quote request for ``customer``."""
    def price_order_json(
        self, customer: Union[Customer, str], request: Union[PriceRequest, str]
    ) -> str:
        """``price_order`` with the result as compact JSON text."""
    def price_orders(
        self, orders: Union[Sequence[OrderToPrice], str], threads: Optional[int] = None
    ) -> List[BatchResult]:
        """Prices many orders over threads with the GIL released, results in input order."""
    def catalog_view(
        self,
        customer: Union[Customer, str],
        *,
        currency: str,
        channel: str,
        at: datetime.datetime,
        category: Optional[str] = None,
    ) -> List[CatalogEntryView]:
        """The catalog as ``customer`` sees it, priced at each product's MOQ."""
    def price_arrow(
        self,
        lines: Any,
        customers: "CustomerTable",
        *,
        explain: str = "summary",
        threads: Optional[int] = None,
    ) -> Tuple[Any, Any]:
        """Prices an Arrow table of order lines; returns ``(lines, orders)`` pyarrow record batches."""
    def price_arrow_schema(self, quantity_scale: int = 0) -> Tuple[Any, Any]:
        """The ``(lines, orders)`` pyarrow schemas of ``price_arrow``'s output."""
    def _time_native(
        self, customer: Union[Customer, str], request: Union[PriceRequest, str], iterations: int = 10
    ) -> float: ...
    def to_dict(self) -> PriceBookDefinition:
        """The price book document."""
    def to_json(self) -> str:
        """The price book document as JSON text."""

@final
class ClassificationPolicy:
    """A compiled classification policy: segments inquiries, picks price lists."""

    def __new__(cls, policy: Union[ClassificationPolicyDocument, str]) -> "ClassificationPolicy": ...
    def classify(
        self, inquiry: Union[Inquiry, str], catalog: Optional[Catalog] = None
    ) -> ClassifyOutput:
        """Classifies an inquiry; with a catalog, also drafts the quote request."""
    def to_dict(self) -> ClassificationPolicyDocument:
        """The policy document."""
    def to_json(self) -> str:
        """The policy document as JSON text."""

@final
class ApprovalPolicy:
    """A compiled approval policy: which approvals a quote or order needs."""

    def __new__(cls, definition: Union[ApprovalPolicyDefinition, str]) -> "ApprovalPolicy": ...
    def plan(
        self,
        subject: Union[ApprovalSubject, str],
        context: Union[FactContext, str, None] = None,
    ) -> ApprovalPlan:
        """The plan the policy makes for a quote or order summary."""
    def to_dict(self) -> ApprovalPolicyDefinition:
        """The policy document."""
    def to_json(self) -> str:
        """The policy document as JSON text."""

@final
class ReservationLedger:
    """Stock and reservations; every command all or nothing, safe across threads."""

    def __new__(cls, stock: Union[StockSnapshot, str]) -> "ReservationLedger": ...
    @staticmethod
    def from_dict(state: Union[LedgerState, str]) -> "ReservationLedger":
        """The ledger rebuilt from a ``LedgerState`` document."""
    def to_dict(self) -> LedgerState:
        """The ledger as a ``LedgerState`` document."""
    def reserve(
        self, order_id: str, requests: Union[Sequence[ReservationRequest], str]
    ) -> None:
        """Reserves every request for ``order_id``, or nothing."""
    def release(
        self, order_id: str, requests: Union[Sequence[ReservationRequest], str]
    ) -> None:
        """Releases exactly the quantities given."""
    def consume(
        self, order_id: str, requests: Union[Sequence[ReservationRequest], str]
    ) -> None:
        """Consumes reservations at dispatch."""
    def quarantine(
        self, order_id: str, requests: Union[Sequence[ReservationRequest], str]
    ) -> None:
        """Moves reserved units that failed QC to their hold batch."""
    def release_order(self, order_id: str) -> List[Reservation]:
        """Releases everything ``order_id`` holds; returns what was released."""
    def reservations(self, order_id: str) -> List[Reservation]:
        """The reservations ``order_id`` holds."""
    def snapshot(self, skus: Optional[List[str]] = None) -> StockSnapshot:
        """The stock, of ``skus`` only when given."""

@final
class CustomerTable:
    """Customer documents by id, for ``PriceBook.price_arrow``."""

    def __new__(cls, customers: Union[Sequence[Customer], str]) -> "CustomerTable": ...
    def to_json(self) -> str:
        """The customer documents as JSON text (a list)."""
    def __len__(self) -> int: ...
