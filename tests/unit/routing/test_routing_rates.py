from __future__ import annotations

from datetime import timedelta

import pytest

from cangpei.runtime.errors import InvalidArgument
from services.routing.domain.model import RateBand
from services.routing.domain.rates import Quote, Refusal, band_for, chargeable_kg, quote

from .helpers import carrier, local, parcel


@pytest.mark.parametrize(
    ("grams", "kg"), [(1, 1), (999, 1), (1000, 1), (1001, 2), (2000, 2), (2001, 3)]
)
def test_weight_rounds_up_to_the_next_whole_kg(grams: int, kg: int) -> None:
    assert chargeable_kg(grams) == kg


def test_price_is_first_weight_plus_each_additional_started_kg() -> None:
    result = quote(carrier(), parcel(weight_grams=2001), 10.0, local(10))
    assert isinstance(result, Quote)
    assert result.cost_fen == 1000 + 2 * 200


def test_distance_on_a_band_boundary_is_priced_in_the_nearer_band() -> None:
    card = carrier()
    assert band_for(card, 50.0).max_km == 50
    assert band_for(card, 50.0001).max_km == 300
    at_boundary = quote(card, parcel(weight_grams=1500), 50.0, local(10))
    beyond = quote(card, parcel(weight_grams=1500), 50.01, local(10))
    assert isinstance(at_boundary, Quote) and at_boundary.cost_fen == 1200
    assert isinstance(beyond, Quote) and beyond.cost_fen == 1600


def test_parcel_beyond_the_last_band_is_not_covered() -> None:
    result = quote(carrier(), parcel(), 300.5, local(10))
    assert isinstance(result, Refusal)
    assert "beyond" in result.reason and "300 km" in result.reason


def test_wave_after_the_pickup_cutoff_goes_with_tomorrows_pickup() -> None:
    card = carrier(cutoff_minute=17 * 60)  # 24 h delivery in the first band
    on_time = quote(card, parcel(), 10.0, local(17, 0))
    assert isinstance(on_time, Quote)
    assert on_time.delivered_by == local(17) + timedelta(hours=24)
    late = quote(card, parcel(), 10.0, local(17, 1))
    assert isinstance(late, Quote)
    assert late.delivered_by == local(17) + timedelta(hours=48)


def test_wave_after_the_cutoff_is_refused_when_tomorrows_pickup_breaks_the_promise() -> None:
    card = carrier(cutoff_minute=17 * 60)
    promise = local(17) + timedelta(hours=24)  # only today's pickup keeps it
    assert isinstance(quote(card, parcel(promised_by=promise), 10.0, local(17, 0)), Quote)
    late = quote(card, parcel(promised_by=promise), 10.0, local(17, 1))
    assert isinstance(late, Refusal)
    assert "cut-off 17:00 has passed" in late.reason and "after the promise" in late.reason


def test_carrier_that_delivers_after_the_promise_is_refused() -> None:
    # Pickup at 18:00 plus 24 h lands at 18:00 tomorrow.
    promise_ok = local(18) + timedelta(hours=24)
    assert isinstance(quote(carrier(), parcel(promised_by=promise_ok), 10.0, local(9)), Quote)
    tight = quote(carrier(), parcel(promised_by=promise_ok - timedelta(minutes=1)), 10.0, local(9))
    assert isinstance(tight, Refusal) and "after the promise" in tight.reason


def test_rate_bands_must_increase() -> None:
    bad = carrier(
        bands=(
            RateBand(100, 1000, 100, 24),
            RateBand(50, 1000, 100, 24),
        )
    )
    with pytest.raises(InvalidArgument, match="increasing max_km"):
        bad.validate()
