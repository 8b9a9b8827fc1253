"""Members and circles."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.values import normalise_email
from web.api.schemas.common import Body, Cleaned, PageQuery, identifier, no_controls, ref, text


class MemberSchema(Schema):
    id = fields.UUID(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    business = fields.String(required=True)
    about = fields.String(required=True)
    roles = fields.List(fields.String(), required=True, metadata={"example": ["steward"]})
    has_left = fields.Boolean(required=True)
    joined_at = fields.DateTime(required=True)


class InvitedMemberSchema(MemberSchema):
    invitation_url = fields.String(required=True, allow_none=True, metadata={
        "description": "The member's one-time link to set a password: pass it on to them. "
                       "Shown once: a replay of the request (Idempotency-Key) shows null."})


class RejoinedMemberSchema(MemberSchema):
    circles_ended = fields.List(ref(), required=True, metadata={
        "description": "The circles that still listed the member while they were away: "
                       "their membership ended on their return (a circle admits them "
                       "again)."})


class InvitationSchema(Schema):
    member_id = fields.UUID(required=True)
    invitation_url = fields.String(required=True, allow_none=True)


class OfferTitleSchema(Schema):
    id = fields.UUID(required=True)
    title = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)


class MemberCardSchema(Schema):
    """A member as the directory lists them."""

    id = fields.UUID(required=True)
    name = fields.String(required=True)
    business = fields.String(required=True)
    steward = fields.Boolean(required=True)
    joined_at = fields.DateTime(required=True)
    circles = fields.List(ref(), required=True)
    offers = fields.List(fields.Nested(OfferTitleSchema), required=True, metadata={
        "description": "Their newest open offers that the caller may see."})


class MembersQuery(PageQuery):
    circle = identifier("circle", load_default=None, metadata={
        "description": "Only the members of this circle."})
    search = fields.String(load_default="", validate=[validate.Length(max=100), no_controls],
                           metadata={
        "description": "Words in the name or business."})


class RejoinSchema(Body):
    note = text("note", 500, required=False, example="back from a sabbatical")


class LeaveSchema(Body):
    reason = text("reason", 500, required=False, example="moving away")


class NewMemberSchema(Body):
    email = Cleaned(normalise_email, required=True, openapi={
        "type": "string", "maxLength": 254, "example": "dana@example.org"})
    name = text("name", 100, example="Dana Weaver")
    business = text("business", 120, required=False)
    steward = fields.Boolean(load_default=False)


# Circles


class CircleSummarySchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    purpose = fields.String(required=True)
    parent = ref(required=True, allow_none=True)
    members = fields.Integer(required=True, metadata={"description": "How many members."})


class MandateSchema(Schema):
    domain = fields.String(required=True)
    decision = fields.String(required=True)


class CircleSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    purpose = fields.String(required=True)
    parent_id = fields.UUID(required=True, allow_none=True)
    members = fields.List(fields.UUID(), required=True)
    mandates = fields.List(fields.Nested(MandateSchema), required=True)
    formed_at = fields.DateTime(required=True)


class NewCircleSchema(Body):
    name = text("circle name", 80, example="Bakers")
    purpose = text("purpose", 1000, required=False)
    parent_id = identifier("circle", load_default=None, allow_none=True)


class AdmissionSchema(Body):
    member_id = identifier("member", required=True)
