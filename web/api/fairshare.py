"""Fair share: a circle's contribution rule, and surplus distributions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from web.api import paging
from web.api.auth import caller_id
from web.api.schemas.common import PageQuery, identifier, page_of
from web.api.schemas.ledger import (
    DistributionLineSchema,
    DistributionSchema,
    NewDistributionSchema,
    NewRuleSchema,
    RuleSchema,
)
from web.api.spec import Blueprint
from web.auth import network

bp = Blueprint("fairshare", __name__,
               description="Contribution rules and surplus distributions.")


class DistributionsQuery(PageQuery):
    circle = identifier("circle", load_default=None)


# Contribution rules

@bp.route("/circles/<uuid:id>/contribution-rule")
@bp.response(200, RuleSchema)
@bp.problems(404)
def get_rule(id: UUID) -> dict[str, Any]:
    """Return the circle's contribution rule in force, and every earlier version."""
    return network().fairshare.rule(id)


@bp.route("/circles/<uuid:id>/contribution-rule", methods=["PUT"])
@bp.arguments(NewRuleSchema)
@bp.response(200, RuleSchema)
@bp.problems(400, 403, 404, 409, 422)
def set_rule(weights: dict[str, Any], id: UUID) -> dict[str, Any]:
    """Set the circle's contribution weights as a new version (stewards only)."""
    network().fairshare.set_rule(id, **weights, by=caller_id())
    return network().fairshare.rule(id)


# Distributions

@bp.route("/distributions")
@bp.arguments(DistributionsQuery, location="query", as_kwargs=True)
@bp.response(200, page_of(DistributionLineSchema))
@bp.problems(404, 422)
def list_distributions(circle: UUID | None, **args: Any) -> dict[str, Any]:
    """List the distributions declared, newest first."""
    return paging.body(network().distributions.recent(paging.paging(args), circle_id=circle))


@bp.route("/distributions", methods=["POST"])
@bp.arguments(NewDistributionSchema)
@bp.response(201, DistributionSchema)
@bp.problems(400, 403, 404, 409, 422)
def distribute(new: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Declare a pool for a circle and period and share it out by contribution weight
    (stewards only)."""
    circle_id = new.pop("circle_id")
    distribution_id = network().fairshare.distribute(circle_id, **new, by=caller_id())
    return network().fairshare.get(distribution_id), 201, {
        "Location": url_for("api_fairshare.get_distribution", id=distribution_id)}


@bp.route("/distributions/<uuid:id>")
@bp.response(200, DistributionSchema)
@bp.problems(404)
def get_distribution(id: UUID) -> dict[str, Any]:
    """Return a distribution with its shares, largest first."""
    return network().fairshare.get(id)

