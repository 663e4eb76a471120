"""SQLAlchemy Core storage of fulfilment orders (with history and parcels) and SKU shipping data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.fulfilment import (
    FulfilmentOrder,
    FulfilmentParcel,
    FulfilmentStatus,
    ParcelStatus,
    StatusChange,
)
from ..domain.geo import GeoPoint
from ..domain.order import Order, OrderLine
from ..service_layer.allocate import ReservationIntent
from ..service_layer.ports import DuplicateSubmission
from .schema import (
    fulfilment_history,
    fulfilment_orders,
    fulfilment_parcels,
    reservation_intents,
    sku_shipping,
)
from .sql_repository import IN_CHUNK, _aware


def _order_json(o: Order) -> str:
    return json.dumps(
        {
            "lines": [[ln.sku, ln.quantity] for ln in o.lines],
            "destination": [o.destination.latitude, o.destination.longitude],
            "placed_at": o.placed_at.isoformat(),
            "promised_by": o.promised_by.isoformat() if o.promised_by else None,
        },
        ensure_ascii=False,
    )


def _order_from_json(order_id: str, text: str) -> Order:
    d = json.loads(text)
    return Order(
        order_id=order_id,
        lines=tuple(OrderLine(s, q) for s, q in d["lines"]),
        destination=GeoPoint(*d["destination"]),
        placed_at=datetime.fromisoformat(d["placed_at"]),
        promised_by=datetime.fromisoformat(d["promised_by"]) if d["promised_by"] else None,
    )


class SqlFulfilmentRepository:
    def __init__(self, session: Session, postgres: bool) -> None:
        self.session = session
        self.postgres = postgres
        # History entries already stored per loaded order: save appends only the new ones.
        self._stored_history: dict[str, int] = {}

    def add(self, order: FulfilmentOrder) -> None:
        try:
            self.session.execute(fulfilment_orders.insert().values(**self._order_row(order)))
        except IntegrityError as exc:
            raise DuplicateSubmission(order.order_id) from exc
        self._stored_history[order.order_id] = 0
        self._write_history(order)
        self._write_parcels(order)

    def add_many(self, orders: Sequence[FulfilmentOrder]) -> None:
        """New orders with a few bulk statements (a batch of submits)."""
        if not orders:
            return
        try:
            self.session.execute(fulfilment_orders.insert(), [self._order_row(o) for o in orders])
        except IntegrityError as exc:
            raise DuplicateSubmission(", ".join(o.order_id for o in orders[:5])) from exc
        history = [
            dict(order_id=o.order_id, position=i, status=c.status.value, at=c.at, detail=c.detail)
            for o in orders
            for i, c in enumerate(o.history)
        ]
        if history:
            self.session.execute(fulfilment_history.insert(), history)
        parcels = [_parcel_row(o.order_id, i, p) for o in orders for i, p in enumerate(o.parcels)]
        if parcels:
            self.session.execute(fulfilment_parcels.insert(), parcels)
        for o in orders:
            self._stored_history[o.order_id] = len(o.history)

    def get(self, order_id: str, for_update: bool = False) -> FulfilmentOrder | None:
        query = select(fulfilment_orders).where(fulfilment_orders.c.order_id == order_id)
        if for_update and self.postgres:
            # Events for one order from several consumers serialise here; SQLite writers
            # are serialised already (IMMEDIATE transactions).
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return self._load([row])[0] if row else None

    def get_many(
        self, order_ids: Sequence[str], for_update: bool = False
    ) -> dict[str, FulfilmentOrder]:
        rows = []
        ids = list(order_ids)
        for start in range(0, len(ids), IN_CHUNK):
            query = select(fulfilment_orders).where(
                fulfilment_orders.c.order_id.in_(ids[start : start + IN_CHUNK])
            )
            if for_update and self.postgres:
                query = query.with_for_update()
            rows.extend(self.session.execute(query).all())
        return {o.order_id: o for o in self._load(rows)}

    def save_many(self, orders: Sequence[FulfilmentOrder]) -> None:
        """Save several orders with a few bulk statements (a wave's outcome)."""
        if not orders:
            return
        self.session.execute(
            fulfilment_orders.update()
            .where(fulfilment_orders.c.order_id == bindparam("b_order_id"))
            .values(
                status=bindparam("b_status"),
                failure_reason=bindparam("b_failure_reason"),
                updated_at=bindparam("b_updated_at"),
            ),
            [
                dict(
                    b_order_id=o.order_id,
                    b_status=o.status.value,
                    b_failure_reason=o.failure_reason,
                    b_updated_at=o.updated_at,
                )
                for o in orders
            ],
        )
        history = []
        for o in orders:
            stored = self._stored_history.get(o.order_id, 0)
            history.extend(
                dict(
                    order_id=o.order_id,
                    position=stored + i,
                    status=c.status.value,
                    at=c.at,
                    detail=c.detail,
                )
                for i, c in enumerate(o.history[stored:])
            )
            self._stored_history[o.order_id] = len(o.history)
        if history:
            self.session.execute(fulfilment_history.insert(), history)
        ids = [o.order_id for o in orders]
        for start in range(0, len(ids), IN_CHUNK):
            self.session.execute(
                fulfilment_parcels.delete().where(
                    fulfilment_parcels.c.order_id.in_(ids[start : start + IN_CHUNK])
                )
            )
        parcels = [_parcel_row(o.order_id, i, p) for o in orders for i, p in enumerate(o.parcels)]
        if parcels:
            self.session.execute(fulfilment_parcels.insert(), parcels)

    def by_key(self, idempotency_key: str) -> FulfilmentOrder | None:
        row = self.session.execute(
            select(fulfilment_orders).where(fulfilment_orders.c.idempotency_key == idempotency_key)
        ).first()
        return self._load([row])[0] if row else None

    def by_keys(self, idempotency_keys: Sequence[str]) -> dict[str, FulfilmentOrder]:
        keys = list(idempotency_keys)
        rows = []
        for start in range(0, len(keys), IN_CHUNK):
            rows.extend(
                self.session.execute(
                    select(fulfilment_orders).where(
                        fulfilment_orders.c.idempotency_key.in_(keys[start : start + IN_CHUNK])
                    )
                ).all()
            )
        return {o.idempotency_key: o for o in self._load(rows)}

    def order_id_for_reservation(self, reservation_id: str) -> str | None:
        return self.session.execute(
            select(fulfilment_parcels.c.order_id).where(
                fulfilment_parcels.c.reservation_id == reservation_id
            )
        ).scalar()

    def order_ids_for_reservations(self, reservation_ids: Sequence[str]) -> dict[str, str]:
        """Order id per reservation id (those this service knows)."""
        ids = sorted(set(reservation_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), IN_CHUNK):
            rows = self.session.execute(
                select(fulfilment_parcels.c.reservation_id, fulfilment_parcels.c.order_id).where(
                    fulfilment_parcels.c.reservation_id.in_(ids[start : start + IN_CHUNK])
                )
            )
            found.update({rid: oid for rid, oid in rows})
        return found

    def received(self, limit: int) -> list[FulfilmentOrder]:
        """The oldest orders still waiting for allocation."""
        rows = self.session.execute(
            select(fulfilment_orders)
            .where(fulfilment_orders.c.status == FulfilmentStatus.RECEIVED.value)
            .order_by(fulfilment_orders.c.created_at, fulfilment_orders.c.order_id)
            .limit(limit)
        ).all()
        return self._load(rows)

    def page(
        self, status: FulfilmentStatus | None, offset: int, size: int
    ) -> list[FulfilmentOrder]:
        query = select(fulfilment_orders).order_by(
            fulfilment_orders.c.created_at, fulfilment_orders.c.order_id
        )
        if status is not None:
            query = query.where(fulfilment_orders.c.status == status.value)
        return self._load(self.session.execute(query.offset(offset).limit(size)).all())

    def counts(self) -> dict[FulfilmentStatus, int]:
        rows = self.session.execute(
            select(fulfilment_orders.c.status, func.count()).group_by(fulfilment_orders.c.status)
        )
        return {FulfilmentStatus(s): int(n) for s, n in rows}

    def save(self, order: FulfilmentOrder) -> None:
        row = self._order_row(order)
        self.session.execute(
            fulfilment_orders.update()
            .where(fulfilment_orders.c.order_id == order.order_id)
            .values(
                status=row["status"],
                failure_reason=row["failure_reason"],
                updated_at=row["updated_at"],
            )
        )
        self._write_history(order)
        self._write_parcels(order)

    # ---------------------------------------------------------------- internals

    @staticmethod
    def _order_row(o: FulfilmentOrder) -> dict:
        return dict(
            order_id=o.order_id,
            idempotency_key=o.idempotency_key,
            fingerprint=o.fingerprint,
            status=o.status.value,
            failure_reason=o.failure_reason,
            order_json=_order_json(o.order),
            created_at=o.created_at,
            updated_at=o.updated_at,
        )

    def _write_history(self, order: FulfilmentOrder) -> None:
        stored = self._stored_history.get(order.order_id, 0)
        new = order.history[stored:]
        if new:
            self.session.execute(
                fulfilment_history.insert(),
                [
                    dict(
                        order_id=order.order_id,
                        position=stored + i,
                        status=c.status.value,
                        at=c.at,
                        detail=c.detail,
                    )
                    for i, c in enumerate(new)
                ],
            )
        self._stored_history[order.order_id] = len(order.history)

    def _write_parcels(self, order: FulfilmentOrder) -> None:
        # Parcels are few per order: replacing them keeps the write simple and exact.
        self.session.execute(
            fulfilment_parcels.delete().where(fulfilment_parcels.c.order_id == order.order_id)
        )
        if order.parcels:
            self.session.execute(
                fulfilment_parcels.insert(),
                [_parcel_row(order.order_id, i, p) for i, p in enumerate(order.parcels)],
            )

    def _load(self, rows: Sequence) -> list[FulfilmentOrder]:
        if not rows:
            return []
        ids = [r.order_id for r in rows]
        history: dict[str, list[StatusChange]] = {i: [] for i in ids}
        parcels: dict[str, list[FulfilmentParcel]] = {i: [] for i in ids}
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start : start + IN_CHUNK]
            for h in self.session.execute(
                select(fulfilment_history)
                .where(fulfilment_history.c.order_id.in_(chunk))
                .order_by(fulfilment_history.c.order_id, fulfilment_history.c.position)
            ):
                history[h.order_id].append(
                    StatusChange(FulfilmentStatus(h.status), _aware(h.at), h.detail)
                )
            for p in self.session.execute(
                select(fulfilment_parcels)
                .where(fulfilment_parcels.c.order_id.in_(chunk))
                .order_by(fulfilment_parcels.c.order_id, fulfilment_parcels.c.position)
            ):
                parcels[p.order_id].append(
                    FulfilmentParcel(
                        parcel_id=p.parcel_id,
                        warehouse_id=p.warehouse_id,
                        reservation_id=p.reservation_id,
                        status=ParcelStatus(p.status),
                        carrier_id=p.carrier_id,
                        vehicle_id=p.vehicle_id,
                        tier=p.tier,
                        distance_km=p.distance_km,
                        weight_grams=p.weight_grams,
                        volume_cm3=p.volume_cm3,
                    )
                )
        found = []
        for r in rows:
            found.append(
                FulfilmentOrder(
                    order_id=r.order_id,
                    idempotency_key=r.idempotency_key,
                    fingerprint=r.fingerprint,
                    order=_order_from_json(r.order_id, r.order_json),
                    status=FulfilmentStatus(r.status),
                    created_at=_aware(r.created_at),
                    updated_at=_aware(r.updated_at),
                    history=history[r.order_id],
                    parcels=parcels[r.order_id],
                    failure_reason=r.failure_reason,
                )
            )
            self._stored_history[r.order_id] = len(history[r.order_id])
        return found


class SqlShippingRepository:
    """Weight and volume per SKU, learnt from the catalog."""

    def __init__(self, session: Session, postgres: bool) -> None:
        self.session = session
        self.postgres = postgres

    def put(self, sku: str, weight_grams: int, volume_cm3: int) -> None:
        dialect = postgresql if self.postgres else sqlite
        statement = dialect.insert(sku_shipping).values(
            sku=sku, weight_grams=weight_grams, volume_cm3=volume_cm3
        )
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[sku_shipping.c.sku],
                set_=dict(weight_grams=weight_grams, volume_cm3=volume_cm3),
            )
        )

    def get_many(self, skus: Sequence[str]) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        skus = list(skus)
        for start in range(0, len(skus), IN_CHUNK):
            rows = self.session.execute(
                select(sku_shipping).where(sku_shipping.c.sku.in_(skus[start : start + IN_CHUNK]))
            )
            found.update({r.sku: (r.weight_grams, r.volume_cm3) for r in rows})
        return found


class SqlReservationIntents:
    """Reservations asked for by a wave whose outcome is not written yet."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, intents: Sequence[ReservationIntent]) -> None:
        if intents:
            self.session.execute(
                reservation_intents.insert(),
                [
                    dict(
                        idempotency_key=i.idempotency_key,
                        order_id=i.order_id,
                        location_id=i.location_id,
                        lines=json.dumps([list(line) for line in i.lines]),
                    )
                    for i in intents
                ],
            )

    def for_orders(self, order_ids: Sequence[str] | None) -> list[ReservationIntent]:
        """The noted reservations of these orders (None: of every order)."""
        query = select(reservation_intents).order_by(reservation_intents.c.idempotency_key)
        if order_ids is None:
            return [_intent(r) for r in self.session.execute(query)]
        found: list[ReservationIntent] = []
        ids = list(order_ids)
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start : start + IN_CHUNK]
            rows = self.session.execute(query.where(reservation_intents.c.order_id.in_(chunk)))
            found.extend(_intent(r) for r in rows)
        return found

    def forget(self, order_ids: Sequence[str]) -> None:
        ids = list(order_ids)
        for start in range(0, len(ids), IN_CHUNK):
            self.session.execute(
                reservation_intents.delete().where(
                    reservation_intents.c.order_id.in_(ids[start : start + IN_CHUNK])
                )
            )


def _intent(r) -> ReservationIntent:
    return ReservationIntent(
        r.idempotency_key, r.order_id, r.location_id, tuple((s, q) for s, q in json.loads(r.lines))
    )


def _parcel_row(order_id: str, position: int, p: FulfilmentParcel) -> dict:
    return dict(
        parcel_id=p.parcel_id,
        order_id=order_id,
        position=position,
        warehouse_id=p.warehouse_id,
        reservation_id=p.reservation_id,
        status=int(p.status),
        carrier_id=p.carrier_id,
        vehicle_id=p.vehicle_id,
        tier=p.tier,
        distance_km=p.distance_km,
        weight_grams=p.weight_grams,
        volume_cm3=p.volume_cm3,
    )
