"""The catalog's gRPC door: authenticate, translate, run the handler off the loop, translate back.

Domain errors travel up to the runtime's interceptor, which turns them into their status.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import grpc
from sqlalchemy.exc import IntegrityError

from cangpei.catalog.v1 import catalog_pb2 as pb
from cangpei.catalog.v1 import catalog_pb2_grpc
from cangpei.runtime.app import ServiceApp
from cangpei.runtime.errors import Aborted
from services.catalog.adapters.event_messages import SHOP_TIERS, SUPPLIER_KINDS, failures_pb
from services.catalog.adapters.uow import SqlCatalogUnitOfWork, catalog_uow
from services.catalog.domain import commands as c
from services.catalog.domain.config import CatalogConfig
from services.catalog.domain.principals import Principal, token_digest
from services.catalog.entrypoints import messages as m
from services.catalog.entrypoints.credentials import bearer_token
from services.catalog.service_layer import access, products, shops, suppliers
from services.catalog.service_layer.context import HandlerContext

T = TypeVar("T")
Handler = Callable[[Any, Any, HandlerContext], T]
Context = grpc.aio.ServicerContext


class CatalogServicer(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self, app: ServiceApp, config: CatalogConfig) -> None:
        self._app = app
        # The bootstrap token is kept only as its digest; handlers never see it.
        token = config.bootstrap_staff_token
        self._bootstrap_digest = token_digest(token) if token else ""
        self._config = dataclasses.replace(config, bootstrap_staff_token="")

    # ------------------------------------------------------------ plumbing

    async def _write(self, context: Context, handler: Handler[T], build: Callable[[], Any]) -> T:
        return await self._app.run_blocking(self._write_now, bearer_token(context), handler, build)

    async def _read(self, context: Context, handler: Handler[T], build: Callable[[], Any]) -> T:
        return await self._app.run_blocking(self._read_now, bearer_token(context), handler, build)

    def _write_now(self, token: str, handler: Handler[T], build: Callable[[], Any]) -> T:
        try:
            with self._app.uow() as runtime_uow:
                uow = SqlCatalogUnitOfWork.over(runtime_uow)
                ctx = HandlerContext(self._config, self._authenticate(token, uow))
                return handler(build(), uow, ctx)
        except IntegrityError as exc:
            # Two callers raced for the same unique value; the loser's transaction is
            # rolled back whole, so retrying is safe and shows the winner's state.
            raise Aborted(
                "a concurrent change conflicted with this one and nothing was written; retry"
            ) from exc

    def _read_now(self, token: str, handler: Handler[T], build: Callable[[], Any]) -> T:
        with self._app.db.read_session() as session:
            uow = SqlCatalogUnitOfWork(session)
            ctx = HandlerContext(self._config, self._authenticate(token, uow))
            return handler(build(), uow, ctx)

    def _recheck_now(self, token: str, cmd: c.RecheckSuppliers) -> suppliers.RecheckOutcome:
        # The re-check opens one transaction per supplier itself.
        with self._app.db.read_session() as session:
            principal = self._authenticate(token, SqlCatalogUnitOfWork(session))
        return suppliers.recheck_suppliers(
            cmd,
            lambda: catalog_uow(self._app.uow),
            HandlerContext(self._config, principal),
        )

    def _authenticate(self, token: str, uow: SqlCatalogUnitOfWork) -> Principal:
        return access.authenticate(token, uow, self._bootstrap_digest)

    # ------------------------------------------------------------ suppliers

    async def RegisterSupplier(self, request: pb.RegisterSupplierRequest, context: Context):  # type: ignore[no-untyped-def]
        def build() -> c.RegisterSupplier:
            kind = m.from_enum("kind", request.kind, SUPPLIER_KINDS, pb.SupplierKind)
            return c.RegisterSupplier(request.name, kind, request.issue_token)

        done = await self._write(context, suppliers.register_supplier, build)
        return pb.RegisterSupplierResponse(
            supplier=m.supplier_pb(done.supplier, 0), token=done.token.token if done.token else ""
        )

    async def GetSupplier(self, request: pb.GetSupplierRequest, context: Context):  # type: ignore[no-untyped-def]
        supplier, balance = await self._read(
            context, suppliers.get_supplier, lambda: request.supplier_id
        )
        return pb.GetSupplierResponse(supplier=m.supplier_pb(supplier, balance))

    async def SubmitQualification(self, request: pb.SubmitQualificationRequest, context: Context):  # type: ignore[no-untyped-def]
        def build() -> c.SubmitQualification:
            tax = m.from_enum("tax_status", request.tax_status, m.TAX_STATUSES, pb.TaxStatus)
            return c.SubmitQualification(
                request.supplier_id, request.registered_capital_fen, tax, request.licence_number
            )

        supplier, balance = await self._write(context, suppliers.submit_qualification, build)
        return pb.SubmitQualificationResponse(supplier=m.supplier_pb(supplier, balance))

    async def RecordDepositEntry(self, request: pb.RecordDepositEntryRequest, context: Context):  # type: ignore[no-untyped-def]
        def build() -> c.RecordDepositEntry:
            kind = m.from_enum("kind", request.kind, m.DEPOSIT_KINDS, pb.DepositEntryKind)
            return c.RecordDepositEntry(
                request.supplier_id, kind, request.amount_fen, request.reference
            )

        entry, balance = await self._write(context, suppliers.record_deposit_entry, build)
        return pb.RecordDepositEntryResponse(entry=m.deposit_entry_pb(entry), balance_fen=balance)

    async def ListDepositEntries(
        self, request: pb.ListDepositEntriesRequest, context: Context
    ) -> pb.ListDepositEntriesResponse:
        entries, balance = await self._read(
            context, suppliers.deposit_ledger, lambda: request.supplier_id
        )
        return pb.ListDepositEntriesResponse(
            entries=[m.deposit_entry_pb(e) for e in entries], balance_fen=balance
        )

    async def RequestVerdict(self, request: pb.RequestVerdictRequest, context: Context):  # type: ignore[no-untyped-def]
        verdict = await self._write(
            context, suppliers.request_verdict, lambda: c.RequestVerdict(request.supplier_id)
        )
        return pb.RequestVerdictResponse(
            approved=verdict.approved,
            failures=failures_pb(verdict.failures),
            supplier=m.supplier_pb(verdict.supplier, verdict.deposit_balance_fen),
        )

    async def RecheckSuppliers(self, request: pb.RecheckSuppliersRequest, context: Context):  # type: ignore[no-untyped-def]
        outcome = await self._app.run_blocking(
            self._recheck_now, bearer_token(context), c.RecheckSuppliers(request.on_date)
        )
        return pb.RecheckSuppliersResponse(
            on_date=outcome.day.isoformat(),
            checked=outcome.checked,
            suspended_supplier_ids=outcome.suspended_supplier_ids,
        )

    # ------------------------------------------------------------ brands and chains

    async def RegisterBrand(self, request: pb.RegisterBrandRequest, context: Context):  # type: ignore[no-untyped-def]
        brand = await self._write(
            context,
            suppliers.register_brand,
            lambda: c.RegisterBrand(request.name, request.owner_id),
        )
        return pb.RegisterBrandResponse(
            brand=pb.Brand(brand_id=brand.brand_id, name=brand.name, owner_id=brand.owner_id)
        )

    async def AddAuthorisation(self, request: pb.AddAuthorisationRequest, context: Context):  # type: ignore[no-untyped-def]
        link = await self._write(
            context,
            suppliers.add_authorisation,
            lambda: c.AddAuthorisation(
                request.brand_id,
                request.grantor_id,
                request.grantee_id,
                tuple(request.categories),
                request.valid_from,
                request.valid_until,
            ),
        )
        return pb.AddAuthorisationResponse(authorisation=m.authorisation_pb(link))

    async def ConfirmAuthorisation(
        self, request: pb.ConfirmAuthorisationRequest, context: Context
    ) -> pb.ConfirmAuthorisationResponse:
        link = await self._write(
            context, suppliers.confirm_authorisation, lambda: request.authorisation_id
        )
        return pb.ConfirmAuthorisationResponse(authorisation=m.authorisation_pb(link))

    async def CheckChain(self, request: pb.CheckChainRequest, context: Context):  # type: ignore[no-untyped-def]
        verdict = await self._read(
            context,
            suppliers.check_chain,
            lambda: c.CheckChain(
                request.brand_id, request.supplier_id, request.category, request.on_date
            ),
        )
        return pb.CheckChainResponse(
            holds=verdict.holds,
            chain=[m.authorisation_pb(link) for link in verdict.chain or ()],
            failures=failures_pb(verdict.failures),
        )

    async def AddPurchaseVoucher(self, request: pb.AddPurchaseVoucherRequest, context: Context):  # type: ignore[no-untyped-def]
        voucher = await self._write(
            context,
            suppliers.add_purchase_voucher,
            lambda: c.AddPurchaseVoucher(
                request.supplier_id,
                request.sku,
                request.seller_id,
                request.buyer_id,
                request.seller_is_manufacturer,
                request.invoice_number,
                request.issued_on,
            ),
        )
        return pb.AddPurchaseVoucherResponse(voucher=m.voucher_pb(voucher))

    # ------------------------------------------------------------ products

    async def ListProduct(self, request: pb.ListProductRequest, context: Context):  # type: ignore[no-untyped-def]
        def build() -> c.ListProduct:
            return c.ListProduct(
                supplier_id=request.supplier_id,
                sku=request.sku,
                name=request.name,
                brand_id=request.brand_id,
                category=request.category,
                price_fen=request.price_fen,
                commission_bps=request.commission_bps,
                affiliate_commission_bps=request.affiliate_commission_bps,
                other_platform_prices=tuple(
                    c.OtherPrice(o.platform, o.price_fen) for o in request.other_platform_prices
                ),
                weight_grams=request.shipping.weight_grams,
                length_mm=request.shipping.length_mm,
                width_mm=request.shipping.width_mm,
                height_mm=request.shipping.height_mm,
            )

        outcome = await self._write(context, products.list_product, build)
        response = pb.ListProductResponse(
            listed=outcome.product is not None, failures=failures_pb(outcome.failures)
        )
        if outcome.product is not None:
            response.product.CopyFrom(m.product_pb(outcome.product))
        return response

    async def GetProduct(self, request: pb.GetProductRequest, context: Context):  # type: ignore[no-untyped-def]
        product = await self._read(context, products.get_product, lambda: request.product_id)
        return pb.GetProductResponse(product=m.product_pb(product))

    async def SearchProducts(self, request: pb.SearchProductsRequest, context: Context):  # type: ignore[no-untyped-def]
        page = await self._read(
            context,
            products.search_products,
            lambda: c.SearchProducts(
                request.supplier_id,
                request.brand_id,
                request.category,
                request.page.page_size,
                request.page.page_token,
            ),
        )
        return pb.SearchProductsResponse(
            products=[m.product_pb(p) for p in page.products],
            next_page_token=page.next_page_token,
        )

    # ------------------------------------------------------------ members and shops

    async def UpsertMember(self, request: pb.UpsertMemberRequest, context: Context):  # type: ignore[no-untyped-def]
        member, token = await self._write(
            context,
            shops.upsert_member,
            lambda: c.UpsertMember(
                request.member_id,
                request.credit_score,
                request.proven_operator,
                request.issue_token,
            ),
        )
        return pb.UpsertMemberResponse(
            member=pb.Member(
                member_id=member.member_id,
                credit_score=member.credit_score,
                proven_operator=member.proven_operator,
            ),
            token=token.token if token else "",
        )

    async def OpenShop(self, request: pb.OpenShopRequest, context: Context):  # type: ignore[no-untyped-def]
        shop = await self._write(
            context, shops.open_shop, lambda: c.OpenShop(request.member_id, request.name)
        )
        return pb.OpenShopResponse(shop=m.shop_pb(shop, 0))

    async def GetShop(self, request: pb.GetShopRequest, context: Context):  # type: ignore[no-untyped-def]
        shop, count = await self._read(context, shops.get_shop, lambda: request.shop_id)
        return pb.GetShopResponse(shop=m.shop_pb(shop, count))

    async def AddListing(self, request: pb.AddListingRequest, context: Context):  # type: ignore[no-untyped-def]
        listing = await self._write(
            context,
            shops.add_listing,
            lambda: c.AddListing(request.shop_id, request.product_id, request.recommendation),
        )
        return pb.AddListingResponse(listing=m.listing_pb(listing))

    async def UpdateRecommendation(self, request: pb.UpdateRecommendationRequest, context: Context):  # type: ignore[no-untyped-def]
        listing = await self._write(
            context,
            shops.update_recommendation,
            lambda: c.UpdateRecommendation(
                request.shop_id, request.product_id, request.recommendation
            ),
        )
        return pb.UpdateRecommendationResponse(listing=m.listing_pb(listing))

    async def RemoveListing(self, request: pb.RemoveListingRequest, context: Context):  # type: ignore[no-untyped-def]
        await self._write(
            context,
            shops.remove_listing,
            lambda: c.RemoveListing(request.shop_id, request.product_id),
        )
        return pb.RemoveListingResponse()

    async def ListShopListings(
        self, request: pb.ListShopListingsRequest, context: Context
    ) -> pb.ListShopListingsResponse:
        listings = await self._read(context, shops.shop_listings, lambda: request.shop_id)
        return pb.ListShopListingsResponse(listings=[m.listing_pb(x) for x in listings])

    async def RecordShopSales(self, request: pb.RecordShopSalesRequest, context: Context):  # type: ignore[no-untyped-def]
        await self._write(
            context,
            shops.record_shop_sales,
            lambda: c.RecordShopSales(request.shop_id, request.month, request.sales_fen),
        )
        return pb.RecordShopSalesResponse()

    async def RecomputeTiers(self, request: pb.RecomputeTiersRequest, context: Context):  # type: ignore[no-untyped-def]
        changes = await self._write(
            context, shops.recompute_tiers, lambda: c.RecomputeTiers(request.month)
        )
        return pb.RecomputeTiersResponse(
            changes=[
                pb.TierChange(
                    shop_id=change.shop_id,
                    previous_tier=SHOP_TIERS[change.previous.value],
                    tier=SHOP_TIERS[change.tier.value],
                    sales_fen=change.sales_fen,
                )
                for change in changes
            ]
        )

    # ------------------------------------------------------------ credentials

    async def IssueToken(self, request: pb.IssueTokenRequest, context: Context):  # type: ignore[no-untyped-def]
        def build() -> c.IssueToken:
            kind = m.from_enum("kind", request.kind, m.PRINCIPAL_KINDS, pb.PrincipalKind)
            return c.IssueToken(kind, request.subject_id)

        issued = await self._write(context, access.issue_token, build)
        return pb.IssueTokenResponse(token_id=issued.token_id, token=issued.token)

    async def RevokeToken(
        self, request: pb.RevokeTokenRequest, context: Context
    ) -> pb.RevokeTokenResponse:
        await self._write(context, access.revoke_token, lambda: request.token_id)
        return pb.RevokeTokenResponse()
