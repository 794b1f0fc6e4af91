from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.invite_sent import InviteSent
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    slug: str,
    invite_id: UUID,
    *,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_csrf_token, Unset):
        headers["X-CSRF-Token"] = x_csrf_token

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{slug}/invites/{invite_id}/resend".format(slug=quote(str(slug), safe=""),invite_id=quote(str(invite_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | InviteSent | None:
    if response.status_code == 200:
        response_200 = InviteSent.from_dict(response.json())



        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorBody.from_dict(response.json())



        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorBody.from_dict(response.json())



        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | InviteSent]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    slug: str,
    invite_id: UUID,
    *,
    client: AuthenticatedClient,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | InviteSent]:
    """ Send an invite again

     With a new link (the old one stops working) and a fresh expiry. It counts against the
    hourly budget (429 `rate_limited`). Admins and owners (403 `insufficient_role`); 404
    `invite_not_found` (also for an accepted or revoked one), `org_not_found`; 400
    `invalid_request` for a malformed `inviteId`. Sessions only. Audited as
    `org.invite_resent`.

    Args:
        slug (str):
        invite_id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | InviteSent]
     """


    kwargs = _get_kwargs(
        slug=slug,
invite_id=invite_id,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    slug: str,
    invite_id: UUID,
    *,
    client: AuthenticatedClient,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | InviteSent | None:
    """ Send an invite again

     With a new link (the old one stops working) and a fresh expiry. It counts against the
    hourly budget (429 `rate_limited`). Admins and owners (403 `insufficient_role`); 404
    `invite_not_found` (also for an accepted or revoked one), `org_not_found`; 400
    `invalid_request` for a malformed `inviteId`. Sessions only. Audited as
    `org.invite_resent`.

    Args:
        slug (str):
        invite_id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | InviteSent
     """


    return sync_detailed(
        slug=slug,
invite_id=invite_id,
client=client,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    slug: str,
    invite_id: UUID,
    *,
    client: AuthenticatedClient,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | InviteSent]:
    """ Send an invite again

     With a new link (the old one stops working) and a fresh expiry. It counts against the
    hourly budget (429 `rate_limited`). Admins and owners (403 `insufficient_role`); 404
    `invite_not_found` (also for an accepted or revoked one), `org_not_found`; 400
    `invalid_request` for a malformed `inviteId`. Sessions only. Audited as
    `org.invite_resent`.

    Args:
        slug (str):
        invite_id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | InviteSent]
     """


    kwargs = _get_kwargs(
        slug=slug,
invite_id=invite_id,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    slug: str,
    invite_id: UUID,
    *,
    client: AuthenticatedClient,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | InviteSent | None:
    """ Send an invite again

     With a new link (the old one stops working) and a fresh expiry. It counts against the
    hourly budget (429 `rate_limited`). Admins and owners (403 `insufficient_role`); 404
    `invite_not_found` (also for an accepted or revoked one), `org_not_found`; 400
    `invalid_request` for a malformed `inviteId`. Sessions only. Audited as
    `org.invite_resent`.

    Args:
        slug (str):
        invite_id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | InviteSent
     """


    return (await asyncio_detailed(
        slug=slug,
invite_id=invite_id,
client=client,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
