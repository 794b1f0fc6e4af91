from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    slug: str,
    user_id: UUID,
    *,
    reassign_to: UUID | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_csrf_token, Unset):
        headers["X-CSRF-Token"] = x_csrf_token

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    params: dict[str, Any] = {}

    json_reassign_to: str | Unset = UNSET
    if not isinstance(reassign_to, Unset):
        json_reassign_to = str(reassign_to)
    params["reassignTo"] = json_reassign_to


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/orgs/{slug}/members/{user_id}".format(slug=quote(str(slug), safe=""),user_id=quote(str(user_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorBody | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    slug: str,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    reassign_to: UUID | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[Any | ErrorBody]:
    """ Remove a member

     Their access ends at once: their API keys made in the organization stop working (401).
    Their jobs there stay, with them as owner, or go to the member `reassignTo` names (409
    `duplicate_job`, and nobody removed, when that member already has a live job for one of
    the same torrents). Admins and owners; only owners remove owners (403
    `insufficient_role`); the last owner stays (409 `last_owner`). Naming oneself is leaving
    (`POST /orgs/{slug}/leave`). 404 `org_not_found`, `member_not_found` (also when
    `reassignTo` is not a member); 400 `invalid_request` for a malformed `userId` or
    `reassignTo`, or `reassignTo` naming the member removed. Sessions only. Audited as
    `org.member_removed`.

    Args:
        slug (str):
        user_id (UUID):
        reassign_to (UUID | Unset):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
     """


    kwargs = _get_kwargs(
        slug=slug,
user_id=user_id,
reassign_to=reassign_to,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    slug: str,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    reassign_to: UUID | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Any | ErrorBody | None:
    """ Remove a member

     Their access ends at once: their API keys made in the organization stop working (401).
    Their jobs there stay, with them as owner, or go to the member `reassignTo` names (409
    `duplicate_job`, and nobody removed, when that member already has a live job for one of
    the same torrents). Admins and owners; only owners remove owners (403
    `insufficient_role`); the last owner stays (409 `last_owner`). Naming oneself is leaving
    (`POST /orgs/{slug}/leave`). 404 `org_not_found`, `member_not_found` (also when
    `reassignTo` is not a member); 400 `invalid_request` for a malformed `userId` or
    `reassignTo`, or `reassignTo` naming the member removed. Sessions only. Audited as
    `org.member_removed`.

    Args:
        slug (str):
        user_id (UUID):
        reassign_to (UUID | Unset):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
     """


    return sync_detailed(
        slug=slug,
user_id=user_id,
client=client,
reassign_to=reassign_to,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    slug: str,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    reassign_to: UUID | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[Any | ErrorBody]:
    """ Remove a member

     Their access ends at once: their API keys made in the organization stop working (401).
    Their jobs there stay, with them as owner, or go to the member `reassignTo` names (409
    `duplicate_job`, and nobody removed, when that member already has a live job for one of
    the same torrents). Admins and owners; only owners remove owners (403
    `insufficient_role`); the last owner stays (409 `last_owner`). Naming oneself is leaving
    (`POST /orgs/{slug}/leave`). 404 `org_not_found`, `member_not_found` (also when
    `reassignTo` is not a member); 400 `invalid_request` for a malformed `userId` or
    `reassignTo`, or `reassignTo` naming the member removed. Sessions only. Audited as
    `org.member_removed`.

    Args:
        slug (str):
        user_id (UUID):
        reassign_to (UUID | Unset):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
     """


    kwargs = _get_kwargs(
        slug=slug,
user_id=user_id,
reassign_to=reassign_to,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    slug: str,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    reassign_to: UUID | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Any | ErrorBody | None:
    """ Remove a member

     Their access ends at once: their API keys made in the organization stop working (401).
    Their jobs there stay, with them as owner, or go to the member `reassignTo` names (409
    `duplicate_job`, and nobody removed, when that member already has a live job for one of
    the same torrents). Admins and owners; only owners remove owners (403
    `insufficient_role`); the last owner stays (409 `last_owner`). Naming oneself is leaving
    (`POST /orgs/{slug}/leave`). 404 `org_not_found`, `member_not_found` (also when
    `reassignTo` is not a member); 400 `invalid_request` for a malformed `userId` or
    `reassignTo`, or `reassignTo` naming the member removed. Sessions only. Audited as
    `org.member_removed`.

    Args:
        slug (str):
        user_id (UUID):
        reassign_to (UUID | Unset):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
     """


    return (await asyncio_detailed(
        slug=slug,
user_id=user_id,
client=client,
reassign_to=reassign_to,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
