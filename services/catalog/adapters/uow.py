"""The catalog's unit of work over the runtime's: repositories on its session, domain
events written to its outbox in the same transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from sqlalchemy.orm import Session

from cangpei.runtime.uow import UnitOfWork
from services.catalog.adapters import repositories as r
from services.catalog.adapters.event_messages import to_message
from services.catalog.domain.events import Event


class SqlCatalogUnitOfWork:
    """Read-write over a runtime ``UnitOfWork``, or read-only over a plain session
    (``outbox`` None), in which case publishing or committing is a programming error."""

    def __init__(self, session: Session, outbox: UnitOfWork | None = None) -> None:
        self._outbox = outbox
        self.suppliers = r.SqlSuppliers(session)
        self.deposits = r.SqlDeposits(session)
        self.brands = r.SqlBrands(session)
        self.authorisations = r.SqlAuthorisations(session)
        self.vouchers = r.SqlVouchers(session)
        self.products = r.SqlProducts(session)
        self.members = r.SqlMembers(session)
        self.shops = r.SqlShops(session)
        self.listings = r.SqlListings(session)
        self.sales = r.SqlSales(session)
        self.tokens = r.SqlTokens(session)

    @classmethod
    def over(cls, runtime_uow: UnitOfWork) -> SqlCatalogUnitOfWork:
        return cls(runtime_uow.session, runtime_uow)

    def publish(self, event: Event) -> None:
        if self._outbox is None:
            raise RuntimeError("a read-only unit of work cannot publish events")
        subject, message = to_message(event)
        self._outbox.publish(subject, message)

    def commit(self) -> None:
        if self._outbox is None:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._outbox.commit()


@contextlib.contextmanager
def catalog_uow(new_runtime_uow: Callable[[], UnitOfWork]) -> Iterator[SqlCatalogUnitOfWork]:
    """A catalog unit of work in a fresh runtime one (``app.uow`` makes those)."""
    with new_runtime_uow() as runtime_uow:
        yield SqlCatalogUnitOfWork.over(runtime_uow)
