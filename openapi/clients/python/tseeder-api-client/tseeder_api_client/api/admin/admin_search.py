from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.search_results import SearchResults
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    q: str,
    limit: int | Unset = 10,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    params: dict[str, Any] = {}

    params["q"] = q

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/search",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | SearchResults | None:
    if response.status_code == 200:
        response_200 = SearchResults.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | SearchResults]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 10,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | SearchResults]:
    """ Search users, jobs and the audit log

     One text across users (email, id), jobs (name, infohash prefix, id) and audit entries
    (action, target id, actor id or email), ignoring case. Each group has its true total and
    its newest `limit` matches. Indexed on both databases (trigram indexes: FTS5 on SQLite,
    `pg_trgm` on PostgreSQL). Support role and above.

    Args:
        q (str):
        limit (int | Unset):  Default: 10.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | SearchResults]
     """


    kwargs = _get_kwargs(
        q=q,
limit=limit,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 10,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | SearchResults | None:
    """ Search users, jobs and the audit log

     One text across users (email, id), jobs (name, infohash prefix, id) and audit entries
    (action, target id, actor id or email), ignoring case. Each group has its true total and
    its newest `limit` matches. Indexed on both databases (trigram indexes: FTS5 on SQLite,
    `pg_trgm` on PostgreSQL). Support role and above.

    Args:
        q (str):
        limit (int | Unset):  Default: 10.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | SearchResults
     """


    return sync_detailed(
        client=client,
q=q,
limit=limit,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 10,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | SearchResults]:
    """ Search users, jobs and the audit log

     One text across users (email, id), jobs (name, infohash prefix, id) and audit entries
    (action, target id, actor id or email), ignoring case. Each group has its true total and
    its newest `limit` matches. Indexed on both databases (trigram indexes: FTS5 on SQLite,
    `pg_trgm` on PostgreSQL). Support role and above.

    Args:
        q (str):
        limit (int | Unset):  Default: 10.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | SearchResults]
     """


    kwargs = _get_kwargs(
        q=q,
limit=limit,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 10,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | SearchResults | None:
    """ Search users, jobs and the audit log

     One text across users (email, id), jobs (name, infohash prefix, id) and audit entries
    (action, target id, actor id or email), ignoring case. Each group has its true total and
    its newest `limit` matches. Indexed on both databases (trigram indexes: FTS5 on SQLite,
    `pg_trgm` on PostgreSQL). Support role and above.

    Args:
        q (str):
        limit (int | Unset):  Default: 10.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | SearchResults
     """


    return (await asyncio_detailed(
        client=client,
q=q,
limit=limit,
x_org_slug=x_org_slug,

    )).parsed
