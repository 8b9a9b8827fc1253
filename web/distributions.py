"""Surplus distributions: the list, one distribution's shares, and the steward's form."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError, fields, validates_schema
from werkzeug.wrappers import Response

from domain.errors import InvalidMoney, InvalidPeriod, InvalidValue, NotFound
from domain.values import CURRENCY_MINOR_UNITS, clean_currency, parse_money
from projections.listing import page_of
from web.auth import is_steward, member_id, network, sign_in_required
from web.forms import Cleaned, Form, FormSchema
from web.listing import CircleArgs, PageArgs, found, paging, read_args

bp = Blueprint("distributions", __name__, url_prefix="/ledger/distributions")

CURRENCIES = [(code, code) for code in sorted(CURRENCY_MINOR_UNITS)]
FIELDS = {InvalidMoney: "pool", InvalidPeriod: "period_end", NotFound: "circle_id"}


def _day(label: str) -> fields.Date:
    return fields.Date(required=True, error_messages={
        "required": f"{label} is required",
        "invalid": f"{label} must be a day written like 2026-05-31"})


class DistributionSchema(FormSchema):
    circle_id = fields.UUID(required=True, error_messages={
        "required": "the circle is required", "invalid_uuid": "choose a circle from the list"})
    period_start = _day("the first day")
    period_end = _day("the last day")
    pool = fields.String(required=True, error_messages={"required": "the pool is required"})
    currency = Cleaned(clean_currency, "currency", required=True)

    @validates_schema
    def check_pool_and_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "pool" in data and "currency" in data:
            try:
                parse_money(data["pool"], data["currency"])
            except InvalidValue as error:
                raise ValidationError(str(error), "pool") from None
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError(f"the period ends ({end}) before it starts ({start})",
                                  "period_end")


@bp.get("/")
@sign_in_required
def index() -> tuple[str, int]:
    """List the surplus distributions, newest first (optionally of one circle)."""
    net = network()
    args = read_args(CircleArgs())
    circle = args.data.get("circle")
    if not args.errors and circle and all(c["id"] != circle
                                          for c in net.directory.circle_choices()):
        args.errors["circle"] = f"there is no circle with id '{circle}'"
        args.status = 400
    page = None
    if not args.errors:
        page = found(net.distributions.recent(paging(args),
                                              circle_id=str(circle) if circle else None))
    return render_template("distributions/index.html", args=args, page=page), args.status


@bp.get("/<uuid:distribution_id>")
@sign_in_required
def show(distribution_id: UUID) -> tuple[str, int]:
    """Show one distribution: pool, period, rule and every member's share."""
    net = network()
    distribution = net.fairshare.get(distribution_id)
    args = read_args(PageArgs())
    page = None if args.errors else found(page_of(distribution["shares"], paging(args).number))
    circle = net.directory.circle(distribution["circle_id"])
    shown = net.directory.names([s["member_id"] for s in page.items] if page else [])
    return render_template("distributions/show.html", d=distribution, page=page, args=args,
                           circle=circle, names=shown), args.status


@bp.get("/new")
@sign_in_required
def new() -> str:
    """Show a steward the form to declare and share out a surplus."""
    if not is_steward():
        abort(403)
    return render_template("distributions/new.html", **_form_context(
        Form(DistributionSchema(), {"currency": "EUR",
                                    "circle_id": request.args.get("circle", "")})))


@bp.post("/new")
@sign_in_required
def declare() -> Response | tuple[str, int]:
    """Declare a pool for a circle and period and share it out (stewards only)."""
    if not is_steward():
        abort(403)  # before reading the form: a member learns nothing from its errors
    form = Form(DistributionSchema(), request.form, fields_for=FIELDS)
    if form.validate():
        data = form.data
        try:
            distribution_id = network().fairshare.distribute(
                data["circle_id"], period_start=data["period_start"],
                period_end=data["period_end"], pool=data["pool"], currency=data["currency"],
                by=member_id())
        except (InvalidValue, NotFound) as error:
            form.fail(error)
        else:
            flash("The distribution is recorded, with every member's share.")
            return redirect(url_for("distributions.show", distribution_id=distribution_id))
    return render_template("distributions/new.html", **_form_context(form)), form.status


def _form_context(form: Form) -> dict[str, Any]:
    circles = network().directory.circle_choices()
    return {"form": form, "currencies": CURRENCIES,
            "circles": [("", "Choose a circle"), *((str(c["id"]), c["name"]) for c in circles)]}
