"""The inventory service's own rules, read once at start (CANGPEI_INVENTORY_<FIELD>)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InventoryConfig:
    # How long a reservation holds stock when the caller does not say.
    reservation_ttl_seconds: int = 900
    # The longest hold a caller may ask for: a forgotten reservation must not pin stock for days.
    max_reservation_ttl_seconds: int = 86_400
    max_lines_per_reservation: int = 200
    # The sweeper runs at start and then this often, releasing at most sweep_batch_size per pass.
    sweep_interval_seconds: float = 5.0
    sweep_batch_size: int = 500
    # Threshold given to a SKU registered without one; 0 means no low-stock alerts.
    default_low_stock_threshold: int = 0
    # Group commit: at most this many queued reservations share one transaction.
    reservation_batch_size: int = 128
    # How long a batch waits for company before it starts; 0 takes only what is queued.
    reservation_batch_linger_ms: float = 0.0
    # Batches in flight at once on PostgreSQL (SQLite has one writer, so one there). One:
    # through gRPC a second batch halved the batches (10 reservations instead of 22 on a
    # hot SKU), each paying the fixed statements and commit, and on a hot SKU it only
    # waited for the first one's row lock; hot SKU 797 -> 1,054/s, spread 605 -> 913/s.
    reservation_batch_workers: int = 1
    # A line "anywhere" may be split across locations when no single one holds it all.
    split_anywhere_lines: bool = True
    # PostgreSQL only: plan a reservation batch on an unlocked snapshot and lock the stock
    # rows at a conditional update just before the commit (shorter row locks when several
    # replicas batch on one hot SKU; no gain measured with one replica, so off by default).
    lock_stock_late: bool = False
    # Register the SKU of every product the catalog lists (catalog.product.listed).
    learn_skus_from_catalog: bool = True
    # Server processes sharing the gRPC port (SO_REUSEPORT), each with its own admission
    # queue, relay and consumers, as replicas would: one process is bound by one core (the
    # GIL) however many the machine has. Needs a fixed port (CANGPEI_INVENTORY_GRPC_PORT).
    processes: int = 1
    # python -m services.inventory runs the outbox relay in a process of its own beside
    # the server process(es), which then publish nothing themselves: the relay's share of
    # a server's one core (about a third under a hot-SKU load) goes to another core. On
    # PostgreSQL the servers' commits wake it (LISTEN/NOTIFY) and it looks on its own only
    # every relay_idle_poll_seconds (lapsed claims); on SQLite it polls every relay_poll_ms.
    # Unset: on PostgreSQL yes (hot SKU through gRPC 1,289-1,328 -> 1,578/s), on SQLite no
    # (its one writer is shared by the relay's claims and the batches: no gain measured).
    relay_process: bool | None = None
    relay_poll_ms: float = 20.0
    relay_idle_poll_seconds: float = 5.0
    history_page_size: int = 50
    max_page_size: int = 500
    max_sync_levels: int = 10_000
