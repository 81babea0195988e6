"""The privacy API: data exports, account deletion and its receipt, data region, what erasure keeps."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router, Status

from haven.accounts.models import User
from haven.core.errors import InvalidInput, NotAuthenticated, NotFound
from haven.core.input import parse_id
from haven.core.openapi import errors
from haven.privacy import access, export, selectors, services
from haven.privacy.models import DeletionRequest, ExportRequest
from haven.privacy.schemas import DeletionIn, DeletionOut, ExportOut, KeptOut, ReauthIn, RegionIn, RegionOut

router = Router(tags=["privacy"])


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise NotAuthenticated(code="not_authenticated")
    return user


def _export_out(item: ExportRequest) -> dict[str, Any]:
    ready = item.state == "ready" and bool(item.file_name)
    return {
        "id": item.pk,
        "state": item.state,
        "requested_at": item.requested_at,
        "ready_at": item.ready_at,
        "expires_at": item.expires_at,
        "byte_size": item.byte_size,
        "sections": item.sections or {},
        "download_url": reverse("api:privacy_export_download", kwargs={"export_id": item.pk})
        if ready
        else None,
    }


def _deletion_out(item: DeletionRequest) -> dict[str, Any]:
    return {
        "receipt_code": item.receipt_code,
        "state": item.state,
        "requested_at": item.requested_at,
        "erase_after": item.erase_after,
        "erased_at": item.erased_at,
        "counts": item.counts or {},
    }


@router.get("/exports", response=list[ExportOut], summary="Your data export requests (newest first)")
def exports_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_export_out(e) for e in selectors.exports_for(_member(request))]


@router.post(
    "/exports",
    response={202: ExportOut, **errors(403, 429)},
    summary="Request a download of all your data (password required; one per day)",
)
def exports_create(request: HttpRequest, payload: ReauthIn) -> Status[dict[str, Any]]:
    item = services.export_request(user=_member(request), password=payload.password)
    item.refresh_from_db()
    return Status(202, _export_out(item))


@router.get("/exports/{export_id}", response={200: ExportOut}, summary="One of your data export requests")
def exports_get(request: HttpRequest, export_id: str) -> dict[str, Any]:
    item = access.exports_of(_member(request)).filter(pk=parse_id(export_id)).first()
    if item is None:
        raise NotFound(code="export_not_found")
    return _export_out(item)


@router.get(
    "/exports/{export_id}/download",
    url_name="privacy_export_download",
    response={200: None},
    summary="Download a ready export (a ZIP; only you can use this link)",
)
def exports_download(request: HttpRequest, export_id: str) -> FileResponse:
    member = _member(request)
    item = access.export_downloadable(member, parse_id(export_id))
    services.export_downloaded(export=item)
    response = FileResponse(
        export.open_for_download(item.file_name),
        as_attachment=True,
        filename=f"haven-{member.username}-{item.requested_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/deletion", response={200: DeletionOut}, summary="Your scheduled account deletion, if any")
def deletion_get(request: HttpRequest) -> dict[str, Any]:
    item = selectors.deletion_for(_member(request))
    if item is None:
        raise NotFound(code="no_deletion_scheduled")
    return _deletion_out(item)


@router.post(
    "/deletion",
    response={202: DeletionOut, **errors(403, 409)},
    summary="Delete your account after a 30-day grace period (logs you out everywhere; logging in cancels)",
)
def deletion_create(request: HttpRequest, payload: DeletionIn) -> Status[dict[str, Any]]:
    if not payload.confirm:
        raise InvalidInput("confirm must be true", code="confirmation_required")
    item = services.deletion_schedule(user=_member(request), password=payload.password)
    return Status(202, _deletion_out(item))


@router.get(
    "/deletion/receipt/{code}",
    auth=None,
    response={200: DeletionOut},
    summary="A deletion receipt by its code",
)
def deletion_receipt(request: HttpRequest, code: str) -> dict[str, Any]:
    return _deletion_out(services.receipt(receipt_code=code))


@router.get("/region", response=RegionOut, summary="Where your media is stored, and the regions offered")
def region_get(request: HttpRequest) -> dict[str, Any]:
    member = _member(request)
    return {
        "current": member.data_region,
        "offered": [{"code": c, "label": n} for c, n in selectors.regions()],
    }


@router.put("/region", response={200: RegionOut}, summary="Choose the region where your media is stored")
def region_set(request: HttpRequest, payload: RegionIn) -> dict[str, Any]:
    member = services.data_region_set(user=_member(request), region=payload.region)
    return {
        "current": member.data_region,
        "offered": [{"code": c, "label": n} for c, n in selectors.regions()],
    }


@router.get("/kept", response=list[KeptOut], auth=None, summary="What account erasure keeps, and why")
def kept(request: HttpRequest) -> list[dict[str, str]]:
    return [{"record": k.label, "reason": k.reason} for k in selectors.kept_records()]
