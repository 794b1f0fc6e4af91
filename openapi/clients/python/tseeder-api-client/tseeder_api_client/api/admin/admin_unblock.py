from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.reason_request import ReasonRequest
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    infohash: str,
    *,
    body: ReasonRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_csrf_token, Unset):
        headers["X-CSRF-Token"] = x_csrf_token

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/admin/blocklist/{infohash}".format(infohash=quote(str(infohash), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

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
    infohash: str,
    *,
    client: AuthenticatedClient,
    body: ReasonRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[Any | ErrorBody]:
    """ Unblock an infohash

     The reason comes in the body (`{"reason": "..."}`), as for every admin change. Admin role
    and above.

    Args:
        infohash (str):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (ReasonRequest): A reason for an admin action, 10 to 1000 characters, kept in the
            audit log.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
     """


    kwargs = _get_kwargs(
        infohash=infohash,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    infohash: str,
    *,
    client: AuthenticatedClient,
    body: ReasonRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Any | ErrorBody | None:
    """ Unblock an infohash

     The reason comes in the body (`{"reason": "..."}`), as for every admin change. Admin role
    and above.

    Args:
        infohash (str):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (ReasonRequest): A reason for an admin action, 10 to 1000 characters, kept in the
            audit log.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
     """


    return sync_detailed(
        infohash=infohash,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    infohash: str,
    *,
    client: AuthenticatedClient,
    body: ReasonRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[Any | ErrorBody]:
    """ Unblock an infohash

     The reason comes in the body (`{"reason": "..."}`), as for every admin change. Admin role
    and above.

    Args:
        infohash (str):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (ReasonRequest): A reason for an admin action, 10 to 1000 characters, kept in the
            audit log.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
     """


    kwargs = _get_kwargs(
        infohash=infohash,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    infohash: str,
    *,
    client: AuthenticatedClient,
    body: ReasonRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Any | ErrorBody | None:
    """ Unblock an infohash

     The reason comes in the body (`{"reason": "..."}`), as for every admin change. Admin role
    and above.

    Args:
        infohash (str):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (ReasonRequest): A reason for an admin action, 10 to 1000 characters, kept in the
            audit log.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
     """


    return (await asyncio_detailed(
        infohash=infohash,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
